import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 stand-in keeps objects in memory; the local runtime saves them under the data directory
 * when it stops and loads them back when it starts, so raw mail and attachments outlive a restart
 * like the tables do. One file per object (its key base64url-encoded, which any file system takes)
 * beside a small JSON file with the key and content type.
 */
const fileOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export async function restoreObjects(s3: S3Client, directory: string, buckets: string[]): Promise<number> {
  let restored = 0;
  for (const bucket of buckets) {
    const folder = join(directory, bucket);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.json'))) {
      const meta = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { key: string; contentType?: string };
      const body = readFileSync(join(folder, name.slice(0, -'.json'.length)));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: meta.key, Body: body, ContentType: meta.contentType }));
      restored += 1;
    }
  }
  return restored;
}

export async function saveObjects(s3: S3Client, directory: string, buckets: string[]): Promise<number> {
  let saved = 0;
  for (const bucket of buckets) {
    const folder = join(directory, bucket);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key as string;
        const found = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        writeFileSync(join(folder, fileOf(key)), await (found.Body?.transformToByteArray() ?? new Uint8Array()));
        writeFileSync(join(folder, `${fileOf(key)}.json`), JSON.stringify({ key, contentType: found.ContentType }));
        saved += 1;
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return saved;
}
