import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const SUPPRESSION = CASES_TABLE_ENTITIES['mail-suppression'];

/** An address SES reported hard-bounced or complaining; kept until someone deletes it. */
export const mailSuppressionKey = (address: string) => primaryKey(SUPPRESSION.key, { address: address.toLowerCase() });

export interface MailSuppression {
  address: string;
  reason: 'bounced' | 'complained';
  at: string;
}

export function mailSuppressionItem(suppression: MailSuppression): Item {
  return {
    ...mailSuppressionKey(suppression.address),
    entity: SUPPRESSION.tag,
    ...suppression,
    address: suppression.address.toLowerCase(),
  };
}

export function mailSuppressionFromItem(item: Item): MailSuppression {
  return { address: String(item.address), reason: item.reason === 'complained' ? 'complained' : 'bounced', at: String(item.at) };
}

export const mailSuppressionEntity = {
  tag: SUPPRESSION.tag,
  key: mailSuppressionKey,
  toItem: mailSuppressionItem,
  fromItem: mailSuppressionFromItem,
} as const;
