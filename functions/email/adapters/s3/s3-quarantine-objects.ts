import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { QuarantineObjects } from '../../domain/email-ports.js';

/** The mail bucket's copies and deletes for a release from quarantine. */
export class S3QuarantineObjects implements QuarantineObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async copy(from: string, to: string): Promise<void> {
    // CopySource is URL-encoded (keys keep letters of any script); the slashes between segments stay.
    const source = `${this.bucket}/${encodeURIComponent(from).replace(/%2F/g, '/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }));
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
