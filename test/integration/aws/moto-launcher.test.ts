// The launcher's fixes that the adapter tests do not already show.
import {
  DeleteBucketMetricsConfigurationCommand,
  GetBucketMetricsConfigurationCommand,
  ListBucketMetricsConfigurationsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';

describeWithServices(
  'moto launcher fixes',
  () => {
    it('writes no access-log objects into the logging target bucket', async () => {
      const bucket = uniqueBucketName('launcher-logged');
      const target = uniqueBucketName('launcher-logs');
      await createBucket(bucket, { logging: { targetBucket: target, targetPrefix: 'logs/' } });
      const { s3 } = createTestAwsClients();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }));
      await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const logs = await s3.send(new ListObjectsV2Command({ Bucket: target }));
      expect(logs.KeyCount ?? 0).toBe(0);
    });

    it('stores, reads and deletes bucket metrics configurations', async () => {
      const bucket = await createBucket(uniqueBucketName('launcher-metrics'), { metricsConfigIds: [{ id: 'docs', prefix: 'docs/' }, 'EntireBucket'] });
      const { s3 } = createTestAwsClients();
      const one = await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'docs' }));
      expect(one.MetricsConfiguration).toEqual({ Id: 'docs', Filter: { Prefix: 'docs/' } });
      await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'docs' }));
      const left = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket }));
      expect(left.MetricsConfigurationList).toEqual([{ Id: 'EntireBucket' }]);
      const gone = await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'docs' })).catch((e: { name: string }) => e);
      expect(gone).toMatchObject({ name: 'NoSuchConfiguration' });
    });
  },
  ['moto'],
);
