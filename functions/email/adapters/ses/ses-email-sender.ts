import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { awsClientConfig } from '#platform/adapters/aws-clients';
import type { EmailSender } from '../../domain/email-ports.js';

/**
 * One attempt per call: the SDK would retry a send whose answer timed out, and SES may have accepted
 * the first, so the outbox decides about every retry itself (see docs/email.md). A raw message of up
 * to 40 MiB takes SES longer to answer than a table read, hence the longer idle limit.
 */
export const sesClient = new SESv2Client({ ...awsClientConfig({ connectionTimeoutMs: 1_000, requestTimeoutMs: 20_000 }), maxAttempts: 1 });

/**
 * Sends raw MIME through SES v2. SES replaces the Message-ID header with its own
 * (`<ses-id@<region>.amazonses.com>`, or `@email.amazonses.com` in us-east-1), so the ids a reply
 * may quote are returned for indexing beside ours.
 */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly region: string,
    private readonly configurationSet: string | null,
  ) {}

  async send(message: { from: string; to: string[]; cc: string[]; raw: Uint8Array; intentId: string }) {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: message.from,
        Destination: { ToAddresses: message.to, CcAddresses: message.cc.length > 0 ? message.cc : undefined },
        Content: { Raw: { Data: message.raw } },
        // Found again in SES's sending events (with a configuration set), should the answer be lost.
        EmailTags: [{ Name: 'outbox-intent', Value: message.intentId }],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    const providerMessageId = result.MessageId ?? '';
    return {
      providerMessageId,
      headerMessageIds: providerMessageId
        ? [`<${providerMessageId}@${this.region}.amazonses.com>`, `<${providerMessageId}@email.amazonses.com>`]
        : [],
    };
  }
}
