import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { notAnsweredError, startCallDeadline, withCallDeadline, type CallOptions } from './deadlines.js';
import { toUserFacingError } from './errors.js';
import type { ListLogObjectsOptions, LogObjectPage, LogObjectsPort } from './ports.js';

/** Lists and reads server access log objects with ListObjectsV2 and GetObject. */
export class S3LogObjects implements LogObjectsPort {
  constructor(private readonly s3: S3Client) {}

  /** Pages of keys after `startAfter` under `prefix`, in key order; folders too with a delimiter. */
  async *list(bucket: string, options: ListLogObjectsOptions & CallOptions): AsyncIterable<LogObjectPage> {
    // The deadline covers the whole listing, however slowly its pages are consumed.
    const { signal, stop, sdk } = startCallDeadline(options);
    try {
      const pages = paginateListObjectsV2(
        { client: this.s3, pageSize: 1_000 },
        {
          Bucket: bucket,
          Prefix: options.prefix,
          ...(options.startAfter ? { StartAfter: options.startAfter } : {}),
          ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
        },
        sdk,
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
      if (signal.aborted) throw notAnsweredError('S3', 'ListObjectsV2', signal, error);
      throw toUserFacingError(error, { service: 'S3', operation: 'ListObjectsV2', bucket });
    } finally {
      stop();
    }
  }

  /** The object's body as a stream of bytes. */
  async read(bucket: string, key: string, options: CallOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const target = { service: 'S3', operation: 'GetObject' } as const;
    // The call's own deadline bounds the answer's start (it stops once headers arrived); the body is
    // then read under the caller's signal alone, the command's deadline, which still cancels it.
    return withCallDeadline(
      target,
      options,
      async (sdk) => {
        const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), sdk);
        const body = out.Body as unknown as AsyncIterable<Uint8Array> | undefined;
        return body ?? (async function* () {})();
      },
      (error) => toUserFacingError(error, { ...target, bucket }),
    );
  }
}
