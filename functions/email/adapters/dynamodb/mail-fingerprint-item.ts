import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const FINGERPRINT = CASES_TABLE_ENTITIES['mail-fingerprint'];

/** Seconds since the epoch, as DynamoDB's TTL wants them. */
export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Sender + subject + text of a recent new case, kept 10 minutes (TTL) to catch resends. */
export const mailFingerprintKey = (fingerprint: string) => primaryKey(FINGERPRINT.key, { fingerprint });

export interface MailFingerprint {
  value: string;
  caseId: string;
  expiresAt: string;
}

export function mailFingerprintItem(fingerprint: MailFingerprint): Item {
  return {
    ...mailFingerprintKey(fingerprint.value),
    entity: FINGERPRINT.tag,
    caseId: fingerprint.caseId,
    expiresAtIso: fingerprint.expiresAt,
    expiresAt: epochSeconds(fingerprint.expiresAt),
  };
}

/** The case of a fingerprint still in force; TTL deletes expired items lazily (within days), so expiry is checked here. */
export function fingerprintCaseIdFromItem(item: Item | undefined, now = Date.now()): string | null {
  return item && Date.parse(String(item.expiresAtIso)) > now ? String(item.caseId) : null;
}

export const mailFingerprintEntity = {
  tag: FINGERPRINT.tag,
  key: mailFingerprintKey,
  toItem: mailFingerprintItem,
  fromItem: fingerprintCaseIdFromItem,
} as const;
