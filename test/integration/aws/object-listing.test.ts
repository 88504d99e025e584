import { beforeAll, expect, it } from 'vitest';
import { S3ObjectListing } from '../../../src/aws/object-listing.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { createBucket, putObjects, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { countCommands } from './command-counter.js';

describeWithServices(
  'S3ObjectListing against moto',
  () => {
    const bucket = uniqueBucketName('listing');
    // Keys in name order are not in age order, so "newest" cannot come from key order by luck.
    const ages = [12, 3, 25, 0.5, 7, 19, 1, 30, 2, 14, 9, 0.1, 21, 5, 16, 28, 4, 11, 8, 23];
    const objects = ages.map((ageDays, i) => ({
      key: `docs/file-${String(i).padStart(2, '0')}.pdf`,
      size: 100 + i,
      ageDays,
      storageClass: i % 2 === 0 ? ('STANDARD' as const) : ('STANDARD_IA' as const),
    }));

    beforeAll(async () => {
      await createBucket(bucket);
      await putObjects(bucket, [...objects, { key: 'other/readme.txt', size: 5, ageDays: 0 }]);
    });

    const newestKeys = (n: number, among = objects) =>
      [...among].sort((a, b) => a.ageDays - b.ageDays).slice(0, n).map((o) => o.key);

    it('keeps the newest N objects, newest first, with their size and storage class', async () => {
      const { s3 } = createTestAwsClients();
      const result = await new S3ObjectListing(s3).listNewest(bucket, { prefix: 'docs/', limit: 5, scanBudget: 1_000 });
      expect(result.objects.map((o) => o.key)).toEqual(newestKeys(5));
      expect(result.scanned).toBe(20);
      expect(result.truncated).toBe(false);
      const first = result.objects[0]!;
      const seeded = objects.find((o) => o.key === first.key)!;
      expect(first.size).toBe(seeded.size);
      expect(first.storageClass).toBe(seeded.storageClass);
      const times = result.objects.map((o) => o.lastModified.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // The seeded ages come through: the newest is 0.1 days old, to within a minute.
      expect(Math.abs(Date.now() - times[0]! - 0.1 * 86_400_000)).toBeLessThan(60_000);
    });

    it('stops at the scan budget and says keys remained', async () => {
      const { s3 } = createTestAwsClients();
      const counter = countCommands(s3);
      const result = await new S3ObjectListing(s3).listNewest(bucket, { prefix: 'docs/', limit: 3, scanBudget: 8 });
      expect(result.scanned).toBe(8);
      expect(result.truncated).toBe(true);
      // ListObjectsV2 answers in key order, so the budget covers the first eight keys.
      expect(result.objects.map((o) => o.key)).toEqual(newestKeys(3, objects.slice(0, 8)));
      expect(counter.count('ListObjectsV2')).toBe(1);
    });

    it('is not truncated when the budget exactly covers the bucket', async () => {
      const { s3 } = createTestAwsClients();
      const result = await new S3ObjectListing(s3).listNewest(bucket, { limit: 3, scanBudget: 21 });
      expect(result).toMatchObject({ scanned: 21, truncated: false });
    });

    it('follows pages and stops reading them at the budget', async () => {
      const { s3 } = createTestAwsClients();
      const counter = countCommands(s3);
      const listing = new S3ObjectListing(s3, { pageSize: 3 });
      const partial = await listing.listNewest(bucket, { prefix: 'docs/', limit: 2, scanBudget: 7 });
      expect(partial).toMatchObject({ scanned: 7, truncated: true });
      expect(partial.objects.map((o) => o.key)).toEqual(newestKeys(2, objects.slice(0, 7)));
      expect(counter.count('ListObjectsV2')).toBe(3);
      const all = await listing.listNewest(bucket, { prefix: 'docs/', limit: 5, scanBudget: 1_000 });
      expect(all).toMatchObject({ scanned: 20, truncated: false });
      expect(all.objects.map((o) => o.key)).toEqual(newestKeys(5));
      expect(counter.count('ListObjectsV2')).toBe(3 + 7);
    });

    it('applies since, counting skipped keys as scanned', async () => {
      const { s3 } = createTestAwsClients();
      const since = new Date(Date.now() - 3.5 * 86_400_000);
      const result = await new S3ObjectListing(s3).listNewest(bucket, { prefix: 'docs/', limit: 10, since, scanBudget: 1_000 });
      const expected = objects.filter((o) => o.ageDays < 3.5);
      expect(result.objects.map((o) => o.key)).toEqual(newestKeys(expected.length, expected));
      expect(result.scanned).toBe(20);
    });

    it('turns a missing bucket into aws_not_found', async () => {
      const { s3 } = createTestAwsClients();
      const error = await new S3ObjectListing(s3)
        .listNewest(uniqueBucketName('listing-missing'), { limit: 1, scanBudget: 10 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as UserFacingError).code).toBe('aws_not_found');
    });
  },
  ['moto'],
);
