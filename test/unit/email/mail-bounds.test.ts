import { describe, expect, it } from 'vitest';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoMailStore } from '#email/adapters/dynamodb/mail-store';
import { DEFAULT_CLASSIFICATION_RULES } from '#email/domain/classification';
import type { MailCommit } from '#email/domain/email-ports';
import type { InboundAttachment, InboundMail } from '#email/domain/inbound-mail';
import { MAIL_BOUNDS, truncateChars, truncateUtf8 } from '#email/domain/mail-bounds';
import type { EmailDeps } from '#email/use-cases/deps';
import { receiveEmail } from '#email/use-cases/receive-email';
import { InMemoryMailObjects, InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import { agentActor, memoryDeps } from '../../support/builders.js';
import { replyToCase } from '#email/use-cases/reply-to-case';
import { BusinessRuleError } from '#platform/domain/errors';
import { resolveCustomer } from '#cases';
import { CUSTOMER_LIMITS, identityKey } from '#customers';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

/** Intake deps in memory; the "parser" hands back the mail the test gives; every commit is kept. */
function intakeDeps() {
  const base = memoryDeps();
  const objects = new InMemoryMailObjects();
  const parsed = new Map<string, InboundMail>();
  const store = new InMemoryMailStore(base.db, () => base.clock.now());
  const commits: MailCommit[] = [];
  const mail = Object.assign(Object.create(store) as InMemoryMailStore, {
    commit: async (commit: MailCommit) => {
      commits.push(commit);
      await store.commit(commit);
    },
  });
  const deps: EmailDeps = {
    ...base,
    mail,
    objects,
    parser: { parse: async (raw) => parsed.get(new TextDecoder().decode(raw)) as InboundMail },
    language: { detect: () => 'en' },
    mailSettings: DEMO_MAIL_SETTINGS,
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
  const deliver = async (key: string, inbound: InboundMail) => {
    parsed.set(key, inbound);
    objects.objects.set(key, { content: new TextEncoder().encode(key), contentType: 'message/rfc822' });
    return receiveEmail(deps, { rawKey: key });
  };
  return { deps, db: base.db, objects, commits, deliver };
}

function inbound(overrides: Partial<InboundMail> = {}): InboundMail {
  return {
    messageId: '<big@example.com>',
    inReplyTo: [],
    references: [],
    from: { address: 'anna@example.com', name: 'Anna' },
    fromAsWritten: null,
    replyTo: [],
    to: [{ address: 'support@switchboard.local', name: null }],
    cc: [],
    deliveredTo: [],
    subject: 'Question',
    date: null,
    text: 'Where is my parcel?',
    html: null,
    // What SES writes on top of mail that proves its sender: these tests are about size and form, not forgery.
    headers: { 'authentication-results': 'amazonses.com; spf=pass; dkim=pass; dmarc=pass' },
    attachments: [],
    deliveryReport: null,
    ...overrides,
  };
}

/**
 * DynamoDB's item size: attribute names plus values, strings and binaries by their UTF-8 bytes,
 * numbers at their 21-byte maximum, 3 bytes of overhead per list and map and 1 per element.
 */
function dynamoSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 21;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + dynamoSize(element), 0);
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce((sum: number, element) => sum + dynamoSize(element), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + dynamoSize(element),
      0,
    )
  );
}

/** The TransactWriteItems the real DynamoDB mail store sends for a commit, captured instead of sent. */
async function transactionOf(commit: MailCommit): Promise<Record<string, unknown>[]> {
  let sent: TransactWriteCommandInput | undefined;
  const client = {
    send: async (command: { input: TransactWriteCommandInput }) => {
      sent = command.input;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  await new DynamoMailStore(client, 'cases').commit(commit);
  return (sent?.TransactItems ?? []).map((item) => (item.Put?.Item ?? item.Update ?? item.ConditionCheck ?? {}) as Record<string, unknown>);
}

const FOUR_BYTES = '\u{1D11E}'; // 𝄞: four bytes of UTF-8, two UTF-16 units
const long = (prefix: string, length: number) => `${prefix}${'x'.repeat(Math.max(0, length - prefix.length))}`;
const address = (i: number) => `${long(`r${i}-`, 240)}@example.com`;
const messageId = (i: number) => `<${long(`id${i}-`, MAIL_BOUNDS.messageIdMaxChars - 14)}@example.com>`;
const tiny = (i: number): InboundAttachment => ({
  filename: `${FOUR_BYTES.repeat(400)}-${i}.pdf`,
  contentType: 'application/pdf',
  size: 1,
  checksum: 'a'.repeat(64),
  contentId: null,
  inline: false,
  content: new Uint8Array(1),
});

describe('bounded mail (a 3 MB body, a 5,000-character subject, 2,000 References, 500 recipients)', () => {
  it('keeps every item, and the whole new-case transaction, well under 400 KB with every field past its cap', async () => {
    const { deliver, db, commits } = intakeDeps();
    const everythingAtMax = inbound({
      messageId: messageId(0),
      inReplyTo: Array.from({ length: 50 }, (_, i) => messageId(10_000 + i)),
      references: Array.from({ length: 2_000 }, (_, i) => messageId(i + 1)),
      from: { address: `${long('anna-', 240)}@example.com`, name: FOUR_BYTES.repeat(5_000) },
      to: [
        { address: 'support@switchboard.local', name: null },
        ...Array.from({ length: 500 }, (_, i) => ({ address: address(i), name: FOUR_BYTES.repeat(300) })),
      ],
      cc: Array.from({ length: 500 }, (_, i) => ({ address: address(1_000 + i), name: FOUR_BYTES.repeat(300) })),
      subject: FOUR_BYTES.repeat(5_000),
      text: FOUR_BYTES.repeat(800_000),
      attachments: Array.from({ length: 300 }, (_, i) => tiny(i)),
    });

    const outcome = await deliver('inbound/big', everythingAtMax);

    expect(outcome).toMatchObject({ outcome: 'new_case', acknowledged: true });
    const [commit] = commits;
    const items = await transactionOf(commit as MailCommit);
    const sizes = items.map(dynamoSize);
    expect(Math.max(...sizes)).toBeLessThan(200 * 1024);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(300 * 1024);

    const caseId = outcome.outcome === 'new_case' ? outcome.caseId : '';
    const [message] = db.messages.get(caseId) ?? [];
    expect(message?.textTruncated).toBe(true);
    expect(Buffer.byteLength(message?.text ?? '')).toBeLessThanOrEqual(MAIL_BOUNDS.textMaxBytes);
    expect([...(message?.subject ?? '')]).toHaveLength(MAIL_BOUNDS.subjectMaxChars);
    expect(message?.references).toHaveLength(MAIL_BOUNDS.referencesMax);
    expect(message?.references[0]).toBe(messageId(1));
    expect(message?.references.at(-1)).toBe(messageId(2_000));
    expect(message?.to).toHaveLength(MAIL_BOUNDS.recipientsMax);
    expect(message?.attachments).toHaveLength(MAIL_BOUNDS.attachmentsMax);
    // Every one of the 300 parts is accounted for: 50 stored, 250 rejected (19 listed, 231 counted).
    expect(message?.rejectedAttachments).toHaveLength(MAIL_BOUNDS.rejectedListMax);
    expect(message?.rejectedAttachments.at(-1)).toMatchObject({ filename: '(231 more attachments)', size: 231 });
    expect(message?.rejectedAttachments[0]?.reason).toBe(`over ${MAIL_BOUNDS.attachmentsMax} attachments per message`);
    expect(db.cases.get(caseId)?.participants).toHaveLength(MAIL_BOUNDS.participantsMax);
  });

  it('stores short text whole and says so', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver('inbound/small', inbound({ text: 'Where is my parcel?' }));

    const [message] = db.messages.get(outcome.outcome === 'new_case' ? outcome.caseId : '') ?? [];
    expect(message).toMatchObject({ text: 'Where is my parcel?', textTruncated: false });
  });
});

describe('truncation', () => {
  it('cuts UTF-8 at a character boundary, never inside one', () => {
    const cut = truncateUtf8(`ab${FOUR_BYTES}`, 4);
    expect(cut).toEqual({ text: 'ab', truncated: true });
    expect(truncateUtf8('żółw', 8)).toEqual({ text: 'żółw', truncated: false });
    expect(truncateUtf8('żółw', 6)).toEqual({ text: 'żół', truncated: true });
  });

  it('cuts characters by code point, so a surrogate pair stays whole', () => {
    expect(truncateChars(FOUR_BYTES.repeat(3), 2)).toBe(FOUR_BYTES.repeat(2));
    expect(truncateChars('abc', 5)).toBe('abc');
  });
});

describe('a From without a valid address', () => {
  it('becomes a case whose customer is named as written, with no identity and no acknowledgement', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver('inbound/odd', inbound({ from: null, fromAsWritten: '"Test" test@example.com' }));

    expect(outcome).toMatchObject({ outcome: 'new_case', acknowledged: false });
    const caseId = outcome.outcome === 'new_case' ? outcome.caseId : '';
    const opened = db.cases.get(caseId);
    expect(opened?.customer).toMatchObject({ name: '"Test" test@example.com', email: null });
    expect(db.customers.get(opened?.customerId ?? '')?.identities).toEqual([]);
    expect(opened?.participants).not.toContain('"Test" test@example.com');
    const [message] = db.messages.get(caseId) ?? [];
    expect(message).toMatchObject({ from: '"Test" test@example.com', automation: 'sender address not valid' });
  });

  it('is not answered at the header as written: an agent reply has no address to go to', async () => {
    const { deliver, deps } = intakeDeps();
    const outcome = await deliver('inbound/odd-reply', inbound({ from: null, fromAsWritten: 'redacted@redacted' }));

    const reply = replyToCase(deps, { caseId: outcome.outcome === 'new_case' ? outcome.caseId : '', body: 'Hello' }, agentActor);

    await expect(reply).rejects.toThrow(BusinessRuleError);
  });

  it('records mail with no From and no Reply-To as from "(no sender)" instead of failing intake', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver('inbound/anonymous', inbound({ from: null, fromAsWritten: null }));

    expect(outcome).toMatchObject({ outcome: 'new_case', acknowledged: false });
    const [message] = db.messages.get(outcome.outcome === 'new_case' ? outcome.caseId : '') ?? [];
    expect(message?.from).toBe('(no sender)');
  });

  it('still answers the Reply-To of mail that has no From header at all', async () => {
    const { deliver } = intakeDeps();

    const outcome = await deliver(
      'inbound/reply-to',
      inbound({ from: null, fromAsWritten: null, replyTo: [{ address: 'anna@example.com', name: null }] }),
    );

    expect(outcome).toMatchObject({ outcome: 'new_case', acknowledged: true });
  });
});

describe("a customer's identities", () => {
  it(`are capped at ${CUSTOMER_LIMITS.identitiesMax}: past it a new address is not claimed, the case still opens for the owner`, () => {
    const deps = memoryDeps();
    const identities = Array.from({ length: CUSTOMER_LIMITS.identitiesMax }, (_, i) => ({
      type: 'email' as const,
      value: `a${i}@example.com`,
    }));
    const existing = {
      id: 'cust-1',
      name: 'Anna',
      identities,
      preferredLanguage: null,
      tier: 'standard' as const,
      createdAt: '',
      updatedAt: '',
      version: 1,
    };
    const owners = new Map([[identityKey(identities[0]!), 'cust-1']]);

    // A verified link (a supervisor's word): the only way a new identity joins a known customer.
    const verified = { verified: true };
    const full = resolveCustomer(
      deps,
      owners,
      [identities[0]!, { type: 'email', value: 'new@example.com' }],
      existing,
      { name: null, language: null },
      verified,
    );
    const roomy = resolveCustomer(
      deps,
      owners,
      [identities[0]!, { type: 'email', value: 'new@example.com' }],
      { ...existing, identities: identities.slice(0, 3) },
      { name: null, language: null },
      verified,
    );

    expect(full.customer.id).toBe('cust-1');
    expect(full.claim).toEqual([]);
    expect(full.customer.identities).toHaveLength(CUSTOMER_LIMITS.identitiesMax);
    expect(roomy.claim).toEqual([{ type: 'email', value: 'new@example.com' }]);
  });
});
