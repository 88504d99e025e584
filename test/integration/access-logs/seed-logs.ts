// Writes server access log objects into a moto log bucket in either key format, as S3 would deliver them.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';

export const TEST_ACCOUNT = '123456789012';

/** The key S3 would give a log object delivered at `delivered`. */
export function logObjectKey(format: { prefix: string; partitioned: boolean; sourceBucket: string; region?: string }, delivered: Date, unique = 'A1B2C3D4E5F60718'): string {
  const stamp = `${deliveryStamp(delivered)}-${unique}`;
  if (!format.partitioned) return `${format.prefix}${stamp}`;
  const day = delivered.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${format.prefix}${TEST_ACCOUNT}/${format.region ?? 'us-east-1'}/${format.sourceBucket}/${day}/${stamp}`;
}

/** Puts log objects concurrently. */
export async function putLogObjects(s3: S3Client, logBucket: string, objects: { key: string; body: string }[], concurrency = 16): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(objects.map((o) => limit(() => s3.send(new PutObjectCommand({ Bucket: logBucket, Key: o.key, Body: o.body })))));
}
