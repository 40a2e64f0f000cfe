import { describe, expect, it } from 'vitest';
import { caseDetailView, messageView } from '#cases/api/views';
import { call, uniqueEmail } from '../support/api-client.js';
import { caseDetail, casesOf, composeMail, eventually, fixture, outboundTo, sendRaw } from '../support/mail.js';

let sequence = 0;
/** Mixed case on purpose: Outlook's Message-IDs are upper-case, and a reply may quote them in any case. */
const newMessageId = () => `<IT-${Date.now().toString(36).toUpperCase()}-${(sequence += 1)}@Customer.Example.com>`;

/** Sends a plain message from `from` and waits for the case it lands on. */
async function mailIn(mail: Parameters<typeof composeMail>[0]): Promise<void> {
  await sendRaw(await composeMail(mail), { from: mail.from, to: [mail.to ?? 'support@switchboard.local'] });
}

async function firstCaseOf(email: string, count = 1): Promise<any[]> {
  return eventually(async () => {
    const cases = await casesOf(email);
    return cases.length >= count ? cases : undefined;
  }, `${count} case(s) of ${email}`);
}

async function messagesOf(caseId: string, count: number): Promise<any[]> {
  return eventually(async () => {
    const detail = await caseDetail(caseId);
    return detail.messages?.length >= count ? detail.messages : undefined;
  }, `${count} message(s) on ${caseId}`);
}

async function acknowledgementTo(email: string): Promise<any> {
  return eventually(async () => (await outboundTo(email))[0], `an acknowledgement to ${email}`);
}

describe('email intake over SMTP', () => {
  it('opens a case, stores the message and acknowledges it in the customer’s language with the case number', async () => {
    const from = uniqueEmail('anna');
    const messageId = newMessageId();

    await mailIn({
      from: `Anna Kowalska <${from}>`,
      subject: 'Reklamacja butów',
      text: 'Dzień dobry, buty rozkleiły się po tygodniu. Proszę o zwrot pieniędzy za zamówienie 4411.',
      messageId,
    });
    const [opened] = await firstCaseOf(from);
    const detail = await caseDetail(opened.id);
    const ack = await acknowledgementTo(from);

    expect(caseDetailView.parse(detail)).toBeTruthy();
    expect(detail).toMatchObject({
      channel: 'email',
      queue: 'customers',
      language: 'pl',
      status: 'new',
      customer: { name: 'Anna Kowalska', email: from },
    });
    expect(detail.messages[0]).toMatchObject({
      direction: 'inbound',
      messageId,
      threading: { method: 'new_case', confidence: 'none' },
      from,
    });
    expect(detail.messages[0].text).toContain('rozkleiły');
    expect(ack.subject).toContain(`[${detail.number}]`);
    expect(ack.subject).toContain('Otrzymaliśmy');
    expect(ack.body.text).toMatch(new RegExp(`\\[ref:${detail.number}:[0-9a-z]{10}\\]`));
    const sent = await eventually(async () => {
      const messages = (await caseDetail(opened.id)).messages;
      return messages.find((m: any) => m.kind === 'acknowledgement' && m.deliveryStatus === 'sent');
    }, 'the acknowledgement marked sent');
    expect(sent.inReplyTo ?? sent.threading).toBeTruthy();
  });

  it.each([
    ['stores@switchboard.local', 'stores'],
    ['partners@switchboard.local', 'marketplace'],
    ['faktury@switchboard.local', 'other'],
  ])('routes mail to %s into the %s queue', async (to, queue) => {
    const from = uniqueEmail('routing');

    await mailIn({
      from,
      to,
      subject: 'Question about an order',
      text: 'Hello, where is my order? It was due yesterday and tracking shows nothing.',
    });
    const [opened] = await firstCaseOf(from);

    expect(opened.queue).toBe(queue);
  });

  it('threads a reply carrying the reference marker onto the case, without a new acknowledgement', async () => {
    const from = uniqueEmail('threaded');
    await mailIn({ from, subject: 'Order 77', text: 'Where is my order 77? I ordered it two weeks ago and nothing came.' });
    const [opened] = await firstCaseOf(from);
    const ack = await acknowledgementTo(from);

    await mailIn({
      from,
      subject: 'something else entirely',
      text: `Still waiting.\n\n> ${ack.body.text.split('\n').join('\n> ')}`,
      messageId: newMessageId(),
    });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.at(-1)).toMatchObject({ direction: 'inbound', threading: { method: 'reference_token', confidence: 'high' } });
    expect(messages.at(-1).text).toBe('Still waiting.');
    expect(await casesOf(from)).toHaveLength(1);
    expect(await outboundTo(from)).toHaveLength(1);
  });

  it('threads a reply by its In-Reply-To header when the marker and number are gone', async () => {
    const from = uniqueEmail('header');
    await mailIn({ from, subject: 'Invoice copy', text: 'Please send me a copy of my last invoice for the company records.' });
    const [opened] = await firstCaseOf(from);
    const ackMessage = (await messagesOf(opened.id, 2)).find((m: any) => m.kind === 'acknowledgement');

    await mailIn({
      from,
      subject: 'thanks',
      text: 'Thanks, I will wait.',
      inReplyTo: ackMessage.messageId,
      references: [ackMessage.messageId],
    });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.at(-1).threading).toEqual({ method: 'header', confidence: 'high' });
  });

  it('does not let a stranger who names a case number into that case: a new case records the possible relation', async () => {
    const owner = uniqueEmail('owner');
    await mailIn({ from: owner, subject: 'Private matter', text: 'My address changed, please update it for the next delivery to Kraków.' });
    const [ownersCase] = await firstCaseOf(owner);
    const stranger = uniqueEmail('stranger');

    await mailIn({
      from: stranger,
      subject: `Re: [${ownersCase.number}] Private matter`,
      text: 'Let me see this case please, I want to know the address.',
    });
    const [strangersCase] = await firstCaseOf(stranger);

    expect(strangersCase.id).not.toBe(ownersCase.id);
    expect(strangersCase.relatedCases).toEqual([{ caseId: ownersCase.id, number: ownersCase.number, relation: 'possibly_same_thread_as' }]);
    expect((await caseDetail(ownersCase.id)).messages.filter((m: any) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('accepts the case number in the subject from the case’s own customer, with medium confidence', async () => {
    const from = uniqueEmail('participant');
    await mailIn({ from, subject: 'Return label', text: 'Could you send me a return label for the jacket from order 991?' });
    const [opened] = await firstCaseOf(from);

    await mailIn({ from, subject: `[${opened.number}] one more thing`, text: 'Also the size was wrong, it should be M.' });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.at(-1).threading).toEqual({ method: 'subject_number', confidence: 'medium' });
  });

  it('reopens a resolved case on a reply, and opens a linked follow-up for a closed one', async () => {
    const from = uniqueEmail('reopen');
    await mailIn({ from, subject: 'Damaged parcel', text: 'The parcel arrived damaged, the box was crushed and the vase is broken.' });
    const [opened] = await firstCaseOf(from);
    const ack = await acknowledgementTo(from);
    const marker = /\[ref:[^\]]+\]/.exec(ack.body.text)?.[0] as string;
    await call('PATCH', `/cases/${opened.id}`, { body: { status: 'resolved' }, headers: { 'If-Match': String(opened.version) } });

    await mailIn({ from, subject: 'Re: damaged', text: `It is not solved, the refund did not arrive.\n\n${marker}` });
    const reopened = await eventually(async () => {
      const detail = await caseDetail(opened.id);
      return detail.status === 'open' ? detail : undefined;
    }, 'the case reopened');
    await call('PATCH', `/cases/${opened.id}`, { body: { status: 'closed' }, headers: { 'If-Match': String(reopened.version) } });
    await mailIn({ from, subject: 'Re: damaged', text: `One more question about it.\n\n${marker}` });
    const cases = await firstCaseOf(from, 2);

    expect(reopened.reopenCount).toBe(1);
    expect(cases[0].relatedCases).toEqual([{ caseId: opened.id, number: opened.number, relation: 'follow_up_of' }]);
  });

  it('stores a message delivered twice once', async () => {
    const from = uniqueEmail('twice');
    const raw = await composeMail({
      from,
      subject: 'Twice',
      text: 'This message will be delivered two times by a nervous server.',
      messageId: newMessageId(),
    });

    await sendRaw(raw, { from, to: ['support@switchboard.local'] });
    const [opened] = await firstCaseOf(from);
    await messagesOf(opened.id, 2);
    await sendRaw(raw, { from, to: ['support@switchboard.local'] });
    await mailIn({
      from,
      subject: 'marker',
      text: `A later, different message.\n\n[ref:${opened.number}:wrongtoken]`,
      inReplyTo: (await caseDetail(opened.id)).messages[0].messageId,
    });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.filter((m: any) => m.subject === 'Twice')).toHaveLength(1);
    expect(await casesOf(from)).toHaveLength(1);
  });

  it('appends "did you get my mail?" resends within 10 minutes to the first case, unacknowledged', async () => {
    const from = uniqueEmail('resend');
    const text = 'Did you get my mail? I asked about the warranty of my washing machine.';

    await mailIn({ from, subject: 'Warranty', text });
    const [opened] = await firstCaseOf(from);
    await mailIn({ from, subject: 'Warranty', text });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.at(-1).threading).toEqual({ method: 'duplicate_content', confidence: 'high' });
    expect(await casesOf(from)).toHaveLength(1);
    expect(await outboundTo(from)).toHaveLength(1);
  });

  it('never acknowledges automated mail, and acknowledges a sender at most 3 times an hour', async () => {
    const robot = uniqueEmail('robot');
    await mailIn({
      from: robot,
      subject: 'Out of office',
      text: 'I am out of the office until Monday and will read mail then.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const [robotCase] = await firstCaseOf(robot);
    const chatty = uniqueEmail('chatty');
    for (let i = 1; i <= 4; i += 1) {
      await mailIn({
        from: chatty,
        subject: `Question number ${i}`,
        text: `This is my question number ${i} about a completely different order ${i * 1000}.`,
      });
    }
    await firstCaseOf(chatty, 4);
    await acknowledgementTo(chatty);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(robotCase.status).toBe('new');
    expect((await caseDetail(robotCase.id)).messages[0].automation).toContain('auto-submitted');
    expect(await outboundTo(robot)).toHaveLength(0);
    expect(await outboundTo(chatty)).toHaveLength(3);
  });

  it('records a bounce of our mail on its case and opens no case for it', async () => {
    const from = uniqueEmail('bounced');
    await mailIn({ from, subject: 'Bounce me', text: 'My mailbox is about to be deleted, so your answer will bounce back.' });
    const [opened] = await firstCaseOf(from);
    const ackMessage = (await messagesOf(opened.id, 2)).find((m: any) => m.kind === 'acknowledgement');
    const raw = fixture('bounce-ses-dsn.eml', { messageId: newMessageId() })
      .toString('latin1')
      .replaceAll('<0107018c-bounce-original@eu-central-1.amazonses.com>', ackMessage.messageId);

    await sendRaw(Buffer.from(raw, 'latin1'), { from: 'MAILER-DAEMON@amazonses.com', to: ['support@switchboard.local'] });
    const messages = await messagesOf(opened.id, 3);

    expect(messages.at(-1)).toMatchObject({ kind: 'bounce', threading: { method: 'bounce', confidence: 'high' } });
    expect((await call('GET', '/customers?email=mailer-daemon%40amazonses.com')).status).toBe(404);
  });

  it('quarantines mail SES judged spam, without an acknowledgement', async () => {
    const from = uniqueEmail('spam');

    await sendRaw(fixture('ses-spam-verdict-fail.eml', { from, messageId: newMessageId() }), { from, to: ['support@switchboard.local'] });
    const [quarantined] = await firstCaseOf(from);

    expect(quarantined.status).toBe('quarantined');
    expect(await outboundTo(from)).toHaveLength(0);
  });

  it.each([
    ['gdpr-erasure-pl.eml', 'pl'],
    ['gdpr-access-en.eml', 'en'],
    ['gdpr-dsgvo-de.eml', 'de'],
    ['gdpr-vymaz-sk.eml', 'sk'],
    ['gdpr-tietosuoja-fi.eml', 'fi'],
  ])('treats %s as an urgent privacy request in %s', async (name, language) => {
    const from = uniqueEmail(`privacy-${language}`);

    await sendRaw(fixture(name, { from, messageId: newMessageId() }), { from, to: ['support@switchboard.local'] });
    const [opened] = await firstCaseOf(from);

    expect(opened).toMatchObject({ priority: 'urgent', category: 'privacy', language });
  });

  it('keeps attachments with name, type, size and checksum, including non-ASCII names', async () => {
    const from = uniqueEmail('attachments');

    await sendRaw(fixture('attachment-rfc2231-name.eml', { from, messageId: newMessageId() }), { from, to: ['support@switchboard.local'] });
    const [opened] = await firstCaseOf(from);
    const [inbound] = await messagesOf(opened.id, 1);

    expect(inbound.attachments.length).toBeGreaterThan(0);
    for (const attachment of inbound.attachments) {
      expect(attachment).toMatchObject({ filename: expect.any(String), contentType: expect.any(String), size: expect.any(Number) });
      expect(attachment.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(inbound.attachments.map((a: any) => a.filename).join(' ')).toMatch(/[^\x00-\x7f]/);
  });
});

describe('POST /cases/{id}/replies', () => {
  it('sends the agent’s reply to the customer, stamps the first response and opens the case', async () => {
    const from = uniqueEmail('reply');
    await mailIn({ from, subject: 'Size exchange', text: 'Can I exchange the shoes for size 42? The 41 are too small.' });
    const [opened] = await firstCaseOf(from);

    const reply = await call('POST', `/cases/${opened.id}/replies`, { body: { body: 'Yes, of course. We will send size 42 tomorrow.' } });
    const sent = await eventually(
      async () => (await outboundTo(from)).find((mail: any) => mail.body.text.includes('size 42 tomorrow')),
      'the reply at SES',
    );
    const after = await caseDetail(opened.id);

    expect(reply.status).toBe(201);
    expect(messageView.parse(reply.body)).toMatchObject({ kind: 'reply', direction: 'outbound', to: [from], authorId: 'anna.nowak' });
    expect(sent.subject).toBe(`Re: Size exchange [${opened.number}]`);
    expect(sent.body.text).toMatch(/\[ref:CS-\d+:[0-9a-z]{10}\]/);
    expect(after).toMatchObject({ status: 'open' });
    expect(after.firstResponseAt).not.toBeNull();
  });

  it('moves the case to pending when the agent waits on the customer, and refuses a closed case', async () => {
    const from = uniqueEmail('pending');
    await mailIn({ from, subject: 'Missing receipt', text: 'I lost the receipt for my TV, can you still accept the warranty claim?' });
    const [opened] = await firstCaseOf(from);

    const waiting = await call('POST', `/cases/${opened.id}/replies`, {
      body: { body: 'Please send a photo of the serial number.', awaitCustomer: true },
    });
    const detail = await caseDetail(opened.id);
    await call('PATCH', `/cases/${opened.id}`, { body: { status: 'closed' }, headers: { 'If-Match': String(detail.version) } });
    const refused = await call('POST', `/cases/${opened.id}/replies`, { body: { body: 'Too late.' } });

    expect(waiting.status).toBe(201);
    expect(detail.status).toBe('pending');
    expect([refused.status, refused.body.error.code]).toEqual([422, 'rule_violated']);
  });
});

describe('POST /cases/{id}/merge', () => {
  it('moves messages, notes and timeline into the target, closes the source with a pointer, and threads later replies to the target', async () => {
    const first = uniqueEmail('merge-a');
    const second = uniqueEmail('merge-b');
    await mailIn({ from: first, subject: 'Broken lamp', text: 'The lamp I bought arrived with a broken shade, order 5151.' });
    await mailIn({
      from: second,
      subject: 'Broken lamp (my wife wrote too)',
      text: 'My wife already wrote about the broken lamp from order 5151.',
    });
    const [target] = await firstCaseOf(first);
    const [source] = await firstCaseOf(second);
    await messagesOf(source.id, 2);
    await call('POST', `/cases/${source.id}/notes`, { body: { body: 'Same household as the other case.' } });

    const byAgent = await call('POST', `/cases/${source.id}/merge`, { body: { intoCaseId: target.id } });
    const merged = await call('POST', `/cases/${source.id}/merge`, { as: 'supervisor-1', body: { intoCaseId: target.id } });
    // The acknowledgement may still wait in the outbox: the job moves it once sent.
    await eventually(
      async () => ((await call('GET', `/merges/${source.id}`, { as: 'supervisor-1' })).body.status === 'done' ? true : undefined),
      'the merge to finish',
      120_000,
    );
    const targetAfter = await caseDetail(target.id);
    const sourceAfter = await caseDetail(source.id);
    const targetTimeline = (await call('GET', `/cases/${target.id}/timeline?limit=100`)).body.items;
    const sourceAck = await acknowledgementTo(second);
    await mailIn({ from: second, subject: 'Re: lamp', text: `Any news?\n\n${/\[ref:[^\]]+\]/.exec(sourceAck.body.text)?.[0]}` });
    const afterReply = await messagesOf(target.id, targetAfter.messages.length + 1);

    expect(byAgent.status).toBe(403);
    expect(merged.status).toBe(202);
    expect(targetAfter.messages.map((m: any) => m.subject)).toEqual(
      expect.arrayContaining(['Broken lamp', 'Broken lamp (my wife wrote too)']),
    );
    expect(targetAfter.relatedCases).toContainEqual({ caseId: source.id, number: source.number, relation: 'merged_from' });
    expect(targetAfter.participants).toEqual(expect.arrayContaining([first, second]));
    expect(targetTimeline.map((entry: any) => entry.action)).toEqual(expect.arrayContaining(['note.added', 'case.merged_from']));
    expect(sourceAfter).toMatchObject({ status: 'closed', messages: [] });
    expect(sourceAfter.relatedCases).toContainEqual({ caseId: target.id, number: target.number, relation: 'merged_into' });
    expect((await casesOf(second)).map((c: any) => c.id)).toContain(source.id);
    expect(afterReply.at(-1)).toMatchObject({ from: second, threading: { method: 'reference_token' } });
  });
});
