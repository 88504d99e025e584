// The bucket every benchmark asks about: configured the way a production bucket is, with a
// week of storage metrics and the last minutes of request metrics, so `/s3 status` reads and
// renders every section (nothing short-circuits on "not set").
import { createBucket, putObjects, putRequestMetrics, putStorageMetrics, uniqueBucketName } from '../../test/helpers/seed.js';

export const BENCH_ALIAS = 'bench-docs';

/** Creates and seeds the bucket; returns its name. */
export async function seedStatusBucket(prefix: string): Promise<string> {
  const name = uniqueBucketName(prefix);
  const logs = uniqueBucketName(`${prefix}-logs`);
  await createBucket(name, {
    versioning: 'Enabled',
    encryption: { algorithm: 'AES256' },
    publicAccessBlock: true,
    logging: { targetBucket: logs, targetPrefix: 'access/' },
    lifecycle: [
      {
        ID: 'tiering',
        Status: 'Enabled',
        Filter: { Prefix: 'docs/' },
        Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      },
      { ID: 'abort-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ],
    metricsConfigIds: ['EntireBucket'],
    tags: { team: 'surgicase', env: 'prod' },
  });
  await putObjects(
    name,
    Array.from({ length: 20 }, (_, i) => ({ key: `docs/case-${i}/provider-payment.pdf`, size: 1_024 * (i + 1), ageDays: i / 4 })),
  );
  await putStorageMetrics(name, {
    days: 8,
    sizeBytesByStorageType: { StandardStorage: [2.9e9, 2.9e9, 2.95e9, 3e9, 3e9, 3.05e9, 3.1e9, 3.2e9], StandardIAStorage: 5e8 },
    objects: [1_100, 1_120, 1_150, 1_180, 1_190, 1_200, 1_220, 1_234],
  });
  const now = Date.now();
  await putRequestMetrics(
    name,
    'EntireBucket',
    Array.from({ length: 10 }, (_, i) => ({ at: new Date(now - (i + 2) * 60_000), AllRequests: 100, '4xxErrors': 4, '5xxErrors': 1 })),
  );
  return name;
}
