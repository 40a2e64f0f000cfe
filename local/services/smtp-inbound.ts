import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Largest message accepted (bytes): SES receiving takes up to 40 MB. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface ReceivedMail {
  raw: Buffer;
  mailFrom: string | null;
  recipients: string[];
}

/**
 * Plays SES receiving locally: an SMTP server on loopback that accepts any message and hands the
 * raw bytes to `onMail` (which stores them where SES would). The SMTP reply waits for that, so a
 * sender that got 250 knows the mail is stored.
 */
export async function startSmtpInbound(options: {
  port: number;
  onMail: (mail: ReceivedMail) => Promise<void>;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Switchboard local inbound mail',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('message exceeds the 40 MB limit'), { responseCode: 552 }));
          return;
        }
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        options.onMail({ raw: Buffer.concat(chunks), mailFrom, recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address) }).then(
          () => callback(),
          (error: Error) => callback(Object.assign(error, { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
