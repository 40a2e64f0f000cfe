import { describe, expect, it } from 'vitest';
import { apiUrl, call, uniqueEmail } from '../support/api-client.js';
import { caseDetail, casesOf, composeMail, eventually, fixture, outboundTo, sendRaw } from '../support/mail.js';

/** Failing SPF, DKIM and DMARC, as the local SMTP stand-in stamps them on request (docs/local-runtime.md). */
const FORGED = { 'X-Switchboard-Local-Verdict': 'spf=fail dkim=fail dmarc=fail' };

async function mailIn(mail: Parameters<typeof composeMail>[0]): Promise<void> {
  await sendRaw(await composeMail(mail), { from: mail.from, to: [mail.to ?? 'support@switchboard.local'] });
}

async function casesOfAtLeast(email: string, count: number): Promise<any[]> {
  return eventually(async () => {
    const cases = await casesOf(email);
    return cases.length >= count ? cases : undefined;
  }, `${count} case(s) of ${email}`);
}

/** The case's detail once it has `count` messages (its acknowledgement among them, when one is queued). */
async function detailWithMessages(caseId: string, count: number): Promise<any> {
  return eventually(async () => {
    const detail = await caseDetail(caseId);
    return detail.messages?.length >= count ? detail : undefined;
  }, `${count} message(s) on ${caseId}`);
}

/** A case of a customer whose mail proves its sender, with its acknowledgement sent. */
async function acknowledgedCase(prefix: string): Promise<{ from: string; opened: any; ack: any }> {
  const from = uniqueEmail(prefix);
  await mailIn({ from, subject: 'Broken kettle', text: 'My kettle stopped heating after two days, order 7781. Please help.' });
  const [opened] = await casesOfAtLeast(from, 1);
  const ack = await eventually(async () => (await outboundTo(from))[0], `the acknowledgement to ${from}`);
  return { from, opened, ack };
}

describe('mail that proves its sender (SES Authentication-Results, over SMTP)', () => {
  it('opens a new, unacknowledged case for forged mail naming a customer’s case number, and leaves that case alone', async () => {
    const { from, opened } = await acknowledgedCase('victim');
    const before = await detailWithMessages(opened.id, 2);
    const bystander = uniqueEmail('bystander');

    await mailIn({
      from,
      cc: bystander,
      subject: `Re: Broken kettle [${opened.number}]`,
      text: 'Please send the refund to my new account number 1234 5678 instead.',
      headers: FORGED,
    });
    const [newest] = await casesOfAtLeast(from, 2);
    const forged = await caseDetail(newest.id);
    const after = await caseDetail(opened.id);

    expect(forged.relatedCases).toEqual([{ caseId: opened.id, number: opened.number, relation: 'possibly_same_thread_as' }]);
    expect(forged.messages.map((m: any) => m.direction)).toEqual(['inbound']);
    expect(forged.participants).not.toContain(bystander);
    expect(after.version).toBe(before.version);
    expect(after.participants).toEqual(before.participants);
    expect(after.messages).toHaveLength(before.messages.length);
  });

  it('still threads forged-verdict mail by the secret reference marker, without adding anyone to the case', async () => {
    const { from, opened, ack } = await acknowledgedCase('marker');
    const marker = /\[ref:[^\]]+\]/.exec(ack.body.text)?.[0] as string;
    const colleague = uniqueEmail('colleague');

    await mailIn({
      from: colleague,
      subject: 'Re: Broken kettle',
      text: `I write for my colleague about the kettle.\n\n${marker}`,
      headers: FORGED,
    });
    const detail = await detailWithMessages(opened.id, 3);

    expect(detail.messages.at(-1)).toMatchObject({ from: colleague, threading: { method: 'reference_token', confidence: 'high' } });
    expect(detail.participants).not.toContain(colleague);
    expect(await casesOf(from)).toHaveLength(1);
  });

  it('records an out-of-office reply on a resolved case without reopening it or opening a follow-up', async () => {
    const { from, opened } = await acknowledgedCase('holiday');
    const detail = await detailWithMessages(opened.id, 2);
    const ackMessageId = detail.messages.find((m: any) => m.kind === 'acknowledgement').messageId;
    const resolved = await call('PATCH', `/cases/${opened.id}`, {
      body: { status: 'resolved' },
      headers: { 'If-Match': String(detail.version) },
    });
    expect(resolved.status).toBe(200);

    await mailIn({
      from,
      subject: 'Automatic reply: We have received your request',
      text: 'I am on holiday until 3 January and will read my mail then.',
      inReplyTo: ackMessageId,
      references: [ackMessageId],
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const after = await detailWithMessages(opened.id, 3);

    expect(after.messages.at(-1)).toMatchObject({ from, automation: 'auto-submitted: auto-replied' });
    expect(after.status).toBe('resolved');
    expect(after.reopenCount).toBe(0);
    expect(await casesOf(from)).toHaveLength(1);
  });

  it('records a helpdesk’s auto-reply naming a closed case on it, without a follow-up case', async () => {
    const { from, opened } = await acknowledgedCase('helpdesk');
    const detail = await detailWithMessages(opened.id, 2);
    const closed = await call('PATCH', `/cases/${opened.id}`, {
      body: { status: 'closed' },
      headers: { 'If-Match': String(detail.version) },
    });
    expect(closed.status).toBe(200);
    const raw = fixture('auto-reply.eml', { from }).toString('latin1').replace('[CS-000125]', `[${opened.number}]`);

    await sendRaw(Buffer.from(raw, 'latin1'), { from, to: ['partners@switchboard.local'] });
    const after = await detailWithMessages(opened.id, 3);

    expect(after.messages.at(-1)).toMatchObject({
      from,
      threading: { method: 'subject_number' },
      automation: 'auto-submitted: auto-replied',
    });
    expect(after.status).toBe('closed');
    expect(await casesOf(from)).toHaveLength(1);
  });

  it('records SES’s bounce event on the acknowledgement and sends that address no further acknowledgement', async () => {
    const { from, opened, ack } = await acknowledgedCase('bounced');
    const delivered = await fetch(`${apiUrl()}/local/connect/contact-events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        source: 'aws.ses',
        'detail-type': 'Email Bounced',
        detail: {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: from, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
            timestamp: new Date().toISOString(),
            feedbackId: `feedback-${ack.messageId}`,
            reportingMTA: 'dns; mx.example.com',
          },
          mail: {
            timestamp: new Date().toISOString(),
            source: ack.from,
            messageId: ack.messageId,
            destination: [from],
            tags: { 'ses:configuration-set': ['switchboard-local'] },
          },
        },
      }),
    });
    expect(delivered.status).toBe(200);
    expect(((await delivered.json()) as { failed: unknown[]; unmatched: number }).failed).toEqual([]);

    const bounced = await eventually(async () => {
      const detail = await caseDetail(opened.id);
      return detail.messages.find((m: any) => m.kind === 'acknowledgement')?.deliveryStatus === 'bounced' ? detail : undefined;
    }, 'the acknowledgement marked bounced');
    const timeline = await call('GET', `/cases/${opened.id}/timeline`);
    await mailIn({ from, subject: 'Another question', text: 'Do you also sell descaler for the kettle model KX-200?' });
    const [second] = await casesOfAtLeast(from, 2);
    const secondDetail = await caseDetail(second.id);

    expect(bounced.messages.find((m: any) => m.kind === 'acknowledgement').deliveryStatus).toBe('bounced');
    expect(JSON.stringify(timeline.body)).toContain('email.bounced');
    expect(secondDetail.messages.map((m: any) => m.kind)).toEqual(['message']);
  });

  it('answers the case’s customer by default, and refuses a `to` that is not a participant', async () => {
    const { opened } = await acknowledgedCase('replies');
    const detail = await caseDetail(opened.id);

    const toCustomer = await call('POST', `/cases/${opened.id}/replies`, { body: { body: 'We are sending a new kettle.' } });
    const toStranger = await call('POST', `/cases/${opened.id}/replies`, { body: { body: 'Hi', to: uniqueEmail('stranger') } });

    expect(toCustomer.status).toBe(201);
    expect(toCustomer.body.to).toEqual([detail.customer.email]);
    expect(toStranger.status).toBe(422);
  });
});
