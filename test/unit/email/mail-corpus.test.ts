import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '#email/adapters/mime/parse-inbound-mail';
import { DEFAULT_CLASSIFICATION_RULES } from '#email/domain/classification';
import type { EmailDeps } from '#email/use-cases/deps';
import { receiveEmail } from '#email/use-cases/receive-email';
import { CORPUS } from '../../fixtures/mail/corpus/index.js';
import { InMemoryMailObjects, InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import { memoryDeps } from '../../support/builders.js';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

const SES_PASS = 'Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass\r\n';

const DIR = join(import.meta.dirname, '../../fixtures/mail/corpus');

/** The intake with the real MIME parser, over in-memory stores. */
function intake() {
  const base = memoryDeps();
  const objects = new InMemoryMailObjects();
  const deps: EmailDeps = {
    ...base,
    mail: new InMemoryMailStore(base.db, () => base.clock.now()),
    objects,
    parser: { parse: parseInboundMail },
    language: { detect: () => null },
    mailSettings: DEMO_MAIL_SETTINGS,
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
  return { deps, db: base.db, objects };
}

describe('the real-world mail corpus', () => {
  it('has at least 40 messages, each described in the index, and no file the index does not describe', () => {
    const files = readdirSync(DIR).filter((file) => file.endsWith('.eml'));

    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(CORPUS.map((entry) => entry.file).sort()).toEqual(files.sort());
  });

  it.each(CORPUS.map((entry) => [entry.file, entry] as const))(
    '%s goes through parsing and intake as the index says',
    async (file, entry) => {
      const { deps, db, objects } = intake();
      // SES writes its verdict on top of every message it receives; the corpus is about form, not forgery.
      const raw = Buffer.concat([Buffer.from(SES_PASS), readFileSync(join(DIR, file))]);
      objects.objects.set(`inbound/${file}`, { content: new Uint8Array(raw), contentType: 'message/rfc822' });
      const parsed = await parseInboundMail(raw);

      const outcome = await receiveEmail(deps, { rawKey: `inbound/${file}` });

      expect(outcome.outcome).toBe(entry.expect.outcome);
      if (outcome.outcome !== 'new_case') {
        expect(db.cases.size).toBe(0);
        return;
      }
      const opened = db.cases.get(outcome.caseId);
      const [message] = db.messages.get(outcome.caseId) ?? [];
      expect(message?.subject).not.toContain('\uFFFD');
      expect(message?.text).not.toContain('\uFFFD');
      expect(message?.fromName ?? '').not.toContain('\uFFFD');
      if (entry.expect.subject !== undefined) expect(message?.subject).toBe(entry.expect.subject);
      if (entry.expect.text !== undefined) expect(message?.text).toContain(entry.expect.text);
      for (const quoted of entry.expect.notText ?? []) expect(message?.text).not.toContain(quoted);

      const customer = entry.expect.customer;
      if (customer && 'asWritten' in customer) {
        expect(opened?.customer).toMatchObject({ name: customer.asWritten, email: null });
        expect(message?.from).toBe(customer.asWritten);
        expect(outcome.acknowledged).toBe(false);
      } else {
        expect(opened?.customer.email).toBe(customer?.email ?? parsed.from?.address);
        expect(outcome.acknowledged).toBe(true);
      }

      // Every part the parser found is either stored (with its object in the bucket) or listed as rejected with a reason.
      const stored = message?.attachments ?? [];
      const rejected = message?.rejectedAttachments ?? [];
      expect(stored.length + rejected.length).toBe(parsed.attachments.length);
      for (const attachment of stored) expect(objects.objects.has(attachment.key)).toBe(true);
      for (const refused of rejected) expect(refused.reason).not.toBe('');
      expect(stored.map((attachment) => attachment.filename)).toEqual(entry.expect.attachments ?? []);
    },
  );
});
