import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { withCallDeadline } from './deadlines.js';
import { toUserFacingError } from './errors.js';
import { NewestObjects } from './newest-objects.js';
import type { CallOptions, ListNewestOptions, ListNewestResult, ObjectListingPort } from './ports.js';

/** ListObjectsV2 answers at most 1,000 keys a page. */
const MAX_PAGE_SIZE = 1_000;

/** Lists a bucket with ListObjectsV2, keeping only the newest objects and stopping at a budget. */
export class S3ObjectListing implements ObjectListingPort {
  private readonly pageSize: number;

  /** `pageSize` (at most 1,000, the API's cap) is smaller only in tests of paging. */
  constructor(
    private readonly s3: S3Client,
    options: { pageSize?: number } = {},
  ) {
    this.pageSize = Math.min(MAX_PAGE_SIZE, options.pageSize ?? MAX_PAGE_SIZE);
  }

  /** The newest `limit` objects (optionally since a time, under a prefix) within `scanBudget` keys. */
  async listNewest(bucket: string, options: ListNewestOptions & CallOptions): Promise<ListNewestResult> {
    const newest = new NewestObjects(options.limit);
    const since = options.since?.getTime();
    let scanned = 0;
    let truncated = false;
    const target = { service: 'S3', operation: 'ListObjectsV2' } as const;
    await withCallDeadline(target, options, async (sdk) => {
      const pages = paginateListObjectsV2(
        { client: this.s3, pageSize: Math.max(1, Math.min(this.pageSize, options.scanBudget)) },
        { Bucket: bucket, ...(options.prefix ? { Prefix: options.prefix } : {}) },
        sdk,
      );
      pages: for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (scanned >= options.scanBudget) {
            truncated = true;
            break pages;
          }
          scanned += 1;
          const lastModified = object.LastModified ?? new Date(0);
          if (since !== undefined && lastModified.getTime() < since) continue;
          newest.offer({
            key: object.Key ?? '',
            size: object.Size ?? 0,
            lastModified,
            storageClass: object.StorageClass ?? 'STANDARD',
          });
        }
        if (scanned >= options.scanBudget && page.IsTruncated) {
          truncated = true;
          break;
        }
      }
    }, (error) => toUserFacingError(error, { ...target, bucket }));
    return { objects: newest.newestFirst(), scanned, truncated };
  }
}
