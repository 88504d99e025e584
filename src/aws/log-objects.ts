import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { toUserFacingError } from './errors.js';
import type { ListLogObjectsOptions, LogObjectPage, LogObjectsPort } from './ports.js';

/** Lists and reads server access log objects with ListObjectsV2 and GetObject. */
export class S3LogObjects implements LogObjectsPort {
  constructor(private readonly s3: S3Client) {}

  /** Pages of keys after `startAfter` under `prefix`, in key order; folders too with a delimiter. */
  async *list(bucket: string, options: ListLogObjectsOptions): AsyncIterable<LogObjectPage> {
    try {
      const pages = paginateListObjectsV2(
        { client: this.s3, pageSize: 1_000 },
        {
          Bucket: bucket,
          Prefix: options.prefix,
          ...(options.startAfter ? { StartAfter: options.startAfter } : {}),
          ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
        },
      );
      for await (const page of pages) {
        yield {
          objects: (page.Contents ?? []).map((o) => ({
            key: o.Key ?? '',
            etag: o.ETag ?? '',
            size: o.Size ?? 0,
            lastModified: o.LastModified ?? new Date(0),
          })),
          commonPrefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
        };
      }
    } catch (error) {
      throw toUserFacingError(error, { service: 'S3', operation: 'ListObjectsV2', bucket });
    }
  }

  /** The object's body as a stream of bytes. */
  async read(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = out.Body as unknown as AsyncIterable<Uint8Array> | undefined;
      return body ?? (async function* () {})();
    } catch (error) {
      throw toUserFacingError(error, { service: 'S3', operation: 'GetObject', bucket });
    }
  }
}
