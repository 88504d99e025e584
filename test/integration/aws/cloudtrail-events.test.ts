import { PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CloudTrailManagementEvents } from '../../../src/aws/cloudtrail-events.js';
import { cloudTrailPacer, createAwsPorts } from '../../../src/aws/create-ports.js';
import { bucketChanges } from '../../../src/cloudtrail/bucket-changes.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { instrumentAwsClient } from '../../../src/metrics/aws-middleware.js';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { stripMarkup } from '../../../src/message/markup.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { createTrailDeniedClients, DEPLOY_ROLE, injectTrailEvents, s3As } from '../../helpers/trail.js';
import { countCommands } from './command-counter.js';

describeWithServices('CloudTrail LookupEvents against the emulator', () => {
  const changed = uniqueBucketName('trail-changed');
  const busy = uniqueBucketName('trail-busy');
  let redis: Redis;
  const hour = () => ({ start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() + 60_000) });

  beforeAll(async () => {
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await createBucket(changed, { publicAccessBlock: true });
    const deploy = s3As(DEPLOY_ROLE, '198.51.100.7');
    await deploy.send(
      new PutPublicAccessBlockCommand({ Bucket: changed, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } }),
    );
    await deploy.send(
      new PutBucketPolicyCommand({ Bucket: changed, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${changed}/*` }] }) }),
    );
    await deploy.send(new PutBucketVersioningCommand({ Bucket: changed, VersioningConfiguration: { Status: 'Suspended' } }));
    await createBucket(busy);
    await injectTrailEvents(
      Array.from({ length: 120 }, (_, i) => ({
        eventName: 'PutBucketTagging',
        eventTime: new Date(Date.now() - (i + 1) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
        requestParameters: { bucketName: busy, tagging: '' },
      })),
    );
  });
  afterAll(() => redis?.disconnect());

  it('reads the S3 calls made through the emulator, with who, from where and what changed', async () => {
    const ports = createAwsPorts({ clients: createTestAwsClients(), cache: new RedisCache(redis, { keyPrefix: `test:${changed}:` }), config: { costs: { cacheHours: 1 } }, logger: silentLogger(), now: () => new Date() });
    const changes = bucketChanges(await ports.trail!.bucketEvents(changed, hour()));
    expect(changes.map((c) => c.call)).toEqual(['PutBucketVersioning', 'PutBucketPolicy', 'PutPublicAccessBlock', 'PutPublicAccessBlock', 'CreateBucket']);
    const [versioning, policy, loosened] = changes;
    expect(versioning).toMatchObject({ principal: { label: 'assumed-role Deploy/ci-1234' }, sourceIp: '198.51.100.7', client: 'SDK (JavaScript)', risks: ['versioning-suspended'] });
    expect(versioning!.phrases.map(stripMarkup)).toEqual(['versioning Enabled → Suspended']);
    expect(policy!.phrases.map(stripMarkup)).toEqual(['bucket policy now allows * to s3:GetObject']);
    expect(loosened!.phrases.map(stripMarkup)).toEqual(['Block Public Access: BlockPublicPolicy on → off']);
    // The seeding itself ran as the test's IAM user.
    expect(changes[3]!.principal.label).toBe('user testing');
  });

  it('follows every page (50 events a page) and counts each request in /metrics', async () => {
    const clients = createTestAwsClients();
    const metrics = botMetrics(createMetricsRegistry());
    instrumentAwsClient(metrics)(clients.cloudTrail);
    const port = new CloudTrailManagementEvents(clients.cloudTrail, cloudTrailPacer(redis, `test-${busy}`, { region: 'us-east-1' }, silentLogger()));
    const records = await port.bucketEvents(busy, hour());
    expect(records.filter((r) => r.eventName === 'PutBucketTagging')).toHaveLength(120);
    expect(records.map((r) => r.eventTime.getTime())).toEqual([...records.map((r) => r.eventTime.getTime())].sort((a, b) => b - a));
    const calls = await metrics.registry.getSingleMetric('s3chatops_aws_api_calls_total')!.get();
    const lookups = calls.values.find((v) => v.labels.service === 'CloudTrail' && v.labels.operation === 'LookupEvents' && v.labels.outcome === 'success');
    expect(lookups?.value).toBe(3);
  });

  it('three processes reading at once share the 2-a-second pace through Redis', async () => {
    const scope = `test-pace-${busy}`;
    const readers = Array.from({ length: 3 }, () => {
      const clients = createTestAwsClients();
      const counter = countCommands(clients.cloudTrail);
      // Each its own Redis connection, as separate processes would have.
      const connection = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
      return { counter, connection, port: new CloudTrailManagementEvents(clients.cloudTrail, cloudTrailPacer(connection, scope, { region: 'us-east-1' }, silentLogger())) };
    });
    const started = Date.now();
    try {
      const answers = await Promise.all(readers.map((r) => r.port.bucketEvents(busy, hour(), { signal: AbortSignal.timeout(60_000) })));
      for (const answer of answers) expect(answer.filter((r) => r.eventName === 'PutBucketTagging')).toHaveLength(120);
    } finally {
      for (const r of readers) r.connection.disconnect();
    }
    const requests = readers.reduce((n, r) => n + r.counter.count('LookupEvents'), 0);
    expect(requests).toBe(9);
    // Nine slots, one every 500 ms from the first: the last cannot start before 4 s have passed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(8 * 500);
  });

  it('a principal without cloudtrail:LookupEvents gets the permission named', async () => {
    const ports = createAwsPorts({ clients: createTrailDeniedClients(), cache: new RedisCache(redis, { keyPrefix: `test:denied:${changed}:` }), config: { costs: { cacheHours: 1 } }, logger: silentLogger(), now: () => new Date() });
    const error = await ports.trail!.bucketEvents(changed, hour()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).code).toBe('aws_access_denied');
    expect((error as UserFacingError).userMessage).toBe("AWS denied LookupEvents. Grant the bot's IAM role `cloudtrail:LookupEvents`.");
  });
});
