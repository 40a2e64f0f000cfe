import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MailObjectStore } from '../../domain/email-ports.js';
import { isQuarantined } from '../../domain/quarantine.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/**
 * Module-scope client. Path-style addressing is used when an explicit S3 endpoint is configured
 * (`AWS_ENDPOINT_URL_S3`, e.g. a stand-in on loopback, where `<bucket>.127.0.0.1` cannot resolve);
 * against AWS itself the SDK's default virtual-hosted style stays.
 */
export const s3Client = new S3Client({ ...awsClientConfig(), forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** The mail bucket as the domain's `MailObjectStore`. */
export class S3MailObjectStore implements MailObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /** @throws QuarantinedObjectError for a key under `quarantine/`: nothing read here may serve one. */
  async getRaw(key: string): Promise<Uint8Array> {
    if (isQuarantined(key)) throw new QuarantinedObjectError(key);
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`s3://${this.bucket}/${key} has no body`);
    return result.Body.transformToByteArray();
  }

  async putAttachment(key: string, content: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content, ContentType: contentType }));
  }
}

/** A read of an object held in quarantine: refused whoever asks, until its case is released. */
export class QuarantinedObjectError extends Error {
  constructor(readonly key: string) {
    super(`${key} is held in quarantine and is not served`);
    this.name = 'QuarantinedObjectError';
  }
}
