import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { QuarantinedObjectError, S3MailObjectStore } from '#email/adapters/s3/s3-mail-object-store';
import { S3QuarantineObjects } from '#email/adapters/s3/s3-quarantine-objects';

/** An S3 client that records what it is asked and answers every read with the same bytes. */
function recordingClient() {
  const asked: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      asked.push(command.input);
      return { Body: { transformToByteArray: async () => new TextEncoder().encode('MIME') } };
    },
  };
  return { client: client as unknown as S3Client, asked };
}

describe('S3MailObjectStore', () => {
  it('never reads an object held in quarantine: no request leaves for it', async () => {
    const { client, asked } = recordingClient();
    const store = new S3MailObjectStore(client, 'mail-bucket');

    await expect(store.getRaw('quarantine/attachments/m1/1-invoice.exe')).rejects.toThrow(QuarantinedObjectError);
    expect(asked).toEqual([]);
  });

  it('reads any other object', async () => {
    const { client, asked } = recordingClient();
    const store = new S3MailObjectStore(client, 'mail-bucket');

    expect(new TextDecoder().decode(await store.getRaw('inbound/abc'))).toBe('MIME');
    expect(asked).toEqual([{ Bucket: 'mail-bucket', Key: 'inbound/abc' }]);
  });
});

describe('S3QuarantineObjects', () => {
  it('copies within the bucket, URL-encoding the source key but not its slashes', async () => {
    const { client, asked } = recordingClient();
    const objects = new S3QuarantineObjects(client, 'mail-bucket');

    await objects.copy('quarantine/attachments/m1/1-faktura ż.pdf', 'attachments/m1/1-faktura ż.pdf');

    expect(asked).toEqual([
      {
        Bucket: 'mail-bucket',
        Key: 'attachments/m1/1-faktura ż.pdf',
        CopySource: 'mail-bucket/quarantine/attachments/m1/1-faktura%20%C5%BC.pdf',
      },
    ]);
  });

  it('deletes by key', async () => {
    const { client, asked } = recordingClient();

    await new S3QuarantineObjects(client, 'mail-bucket').remove('quarantine/attachments/m1/1-a.pdf');

    expect(asked).toEqual([{ Bucket: 'mail-bucket', Key: 'quarantine/attachments/m1/1-a.pdf' }]);
  });
});
