import { beforeAll, expect, it } from 'vitest';
import { S3BucketFacts } from '../../../src/aws/bucket-facts.js';
import type { BucketFacts } from '../../../src/aws/ports.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { countCommands } from './command-counter.js';

describeWithServices(
  'S3BucketFacts against moto',
  () => {
    const full = uniqueBucketName('facts-full');
    const logs = uniqueBucketName('facts-logs');
    const bare = uniqueBucketName('facts-bare');
    const replica = uniqueBucketName('facts-replica');
    const eu = uniqueBucketName('facts-eu');
    const many = uniqueBucketName('facts-many');

    beforeAll(async () => {
      await createBucket(replica, { versioning: 'Enabled' });
      await createBucket(full, {
        versioning: 'Enabled',
        encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd', bucketKeyEnabled: true },
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
        policy: 'public',
        logging: { targetBucket: logs, targetPrefix: 'access/', partitioned: true },
        lifecycle: [
          {
            ID: 'tiering',
            Status: 'Enabled',
            Filter: { Prefix: 'docs/' },
            Transitions: [{ Days: 30, StorageClass: 'INTELLIGENT_TIERING' }],
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          },
          {
            ID: 'abort-uploads',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
          { ID: 'test-files', Status: 'Disabled', Filter: { Prefix: '_s3-chatops/test/' }, Expiration: { Days: 7 } },
        ],
        replication: {
          role: 'arn:aws:iam::123456789012:role/replication',
          rules: [{ id: 'to-replica', destinationBucket: replica, prefix: 'docs/' }],
        },
        metricsConfigIds: ['EntireBucket', { id: 'docs-only', prefix: 'docs/' }],
        tags: { team: 'surgicase', env: 'prod' },
        accelerate: 'Enabled',
      });
      await createBucket(bare);
      await createBucket(eu, { region: 'eu-west-1' });
      await createBucket(many, { metricsConfigIds: Array.from({ length: 105 }, (_, i) => `filter-${String(i).padStart(3, '0')}`) });
    });

    it('reads every fact of a fully configured bucket', async () => {
      const { s3 } = createTestAwsClients();
      const facts = await new S3BucketFacts(s3, silentLogger()).getFacts(full);
      const expected: BucketFacts = {
        bucket: full,
        region: 'us-east-1',
        versioning: 'Enabled',
        mfaDelete: false,
        encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd', bucketKeyEnabled: true },
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
        hasPolicy: true,
        policyIsPublic: true,
        logging: { targetBucket: logs, targetPrefix: 'access/', partitioned: true, partitionDateSource: 'EventTime' },
        lifecycleRules: [
          {
            id: 'tiering',
            enabled: true,
            prefix: 'docs/',
            transitions: [{ days: 30, storageClass: 'INTELLIGENT_TIERING' }],
            noncurrentExpirationDays: 90,
          },
          { id: 'abort-uploads', enabled: true, prefix: '', transitions: [], abortIncompleteMultipartDays: 7 },
          { id: 'test-files', enabled: false, prefix: '_s3-chatops/test/', transitions: [], expirationDays: 7 },
        ],
        replication: {
          role: 'arn:aws:iam::123456789012:role/replication',
          rules: [{ id: 'to-replica', enabled: true, destinationBucket: replica, prefix: 'docs/' }],
        },
        metricsConfigurations: [{ id: 'EntireBucket' }, { id: 'docs-only', prefix: 'docs/' }],
        transferAcceleration: 'Enabled',
        tags: { team: 'surgicase', env: 'prod' },
        problems: [],
      };
      expect(facts).toEqual(expected);
    });

    it('reads a bare bucket as "not set" everywhere, with no problems', async () => {
      const { s3 } = createTestAwsClients();
      const facts = await new S3BucketFacts(s3, silentLogger()).getFacts(bare);
      expect(facts).toEqual({
        bucket: bare,
        region: 'us-east-1',
        versioning: 'Disabled',
        mfaDelete: false,
        encryption: null,
        publicAccessBlock: null,
        hasPolicy: false,
        policyIsPublic: null,
        logging: null,
        lifecycleRules: [],
        replication: null,
        metricsConfigurations: [],
        transferAcceleration: null,
        tags: {},
        problems: [],
      });
    });

    it('asks for all eleven facts concurrently, in one call each', async () => {
      const { s3 } = createTestAwsClients();
      const counter = countCommands(s3);
      let inFlight = 0;
      let maxInFlight = 0;
      s3.middlewareStack.add(
        (next) => async (args) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await next(args);
          } finally {
            inFlight -= 1;
          }
        },
        { step: 'initialize', name: 'inFlightGauge' },
      );
      await new S3BucketFacts(s3, silentLogger()).getFacts(bare);
      expect(counter.total()).toBe(11);
      expect(maxInFlight).toBe(11);
    });

    it('reads the region of a bucket outside us-east-1', async () => {
      const { s3 } = createTestAwsClients();
      const facts = await new S3BucketFacts(s3, silentLogger()).getFacts(eu);
      expect(facts.region).toBe('eu-west-1');
      expect(facts.problems).toEqual([]);
    });

    it('follows the continuation token of the metrics configurations', async () => {
      const { s3 } = createTestAwsClients();
      const counter = countCommands(s3);
      const facts = await new S3BucketFacts(s3, silentLogger()).getFacts(many);
      expect(facts.metricsConfigurations).toHaveLength(105);
      expect(facts.metricsConfigurations.at(-1)).toEqual({ id: 'filter-104' });
      expect(counter.count('ListBucketMetricsConfigurations')).toBe(2);
    });

    it('throws aws_not_found for a bucket that does not exist', async () => {
      const { s3 } = createTestAwsClients();
      const missing = uniqueBucketName('facts-missing');
      const error = await new S3BucketFacts(s3, silentLogger()).getFacts(missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as UserFacingError).code).toBe('aws_not_found');
      expect((error as UserFacingError).userMessage).toContain(missing);
    });

    it('exists: HeadBucket tells a bucket that does not exist from one that does, however empty', async () => {
      const { s3 } = createTestAwsClients();
      const facts = new S3BucketFacts(s3, silentLogger());
      expect(await facts.exists(bare)).toBe(true);
      expect(await facts.exists(uniqueBucketName('facts-missing'))).toBe(false);
    });

    it('puts one fact that fails into problems and still reads the others', async () => {
      const { s3 } = createTestAwsClients();
      // An AccessDenied for one operation, as AWS answers when the role lacks that permission.
      s3.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetBucketEncryptionCommand') {
            throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
          }
          return next(args);
        },
        { step: 'initialize', name: 'denyEncryption' },
      );
      const facts = await new S3BucketFacts(s3, silentLogger()).getFacts(full);
      expect(facts.encryption).toBeNull();
      expect(facts.problems).toEqual([{ fact: 'encryption', message: expect.stringContaining('s3:GetEncryptionConfiguration') }]);
      expect(facts.versioning).toBe('Enabled');
      expect(facts.tags).toEqual({ team: 'surgicase', env: 'prod' });
    });
  },
  ['moto'],
);
