import { PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { createTrailDeniedClients, DEPLOY_ROLE, injectTrailEvents, s3As } from '../../helpers/trail.js';
import { startTestBot, testConfig, type RunningBot } from './harness.js';

// The real Bolt app and command, CloudTrail's LookupEvents served by the emulator from the S3 calls made here.
describeWithServices('/s3 changes end to end', () => {
  const name = uniqueBucketName('slack-changes');
  let bot: RunningBot;
  let denied: RunningBot;
  let redis: Redis;

  beforeAll(async () => {
    await createBucket(name, { versioning: 'Enabled', publicAccessBlock: true });
    const deploy = s3As(DEPLOY_ROLE, '198.51.100.7');
    await deploy.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: name,
        LifecycleConfiguration: { Rules: [{ ID: 'expire-test-files', Status: 'Enabled', Filter: { Prefix: '_s3-chatops/test/' }, Expiration: { Days: 7 } }, { ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Days: 365 } }] },
      }),
    );
    await deploy.send(new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: [{ ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Days: 365 } }] } }));
    await deploy.send(
      new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } }),
    );
    await deploy.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    const root = s3As({ type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }, '203.0.113.9');
    await root.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Suspended' } }));
    // A principal moto cannot sign as: an AWS service.
    await injectTrailEvents([{ eventName: 'DeleteBucketEncryption', userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' }, userAgent: 'cloudformation.amazonaws.com', sourceIPAddress: 'cloudformation.amazonaws.com', requestParameters: { bucketName: name, encryption: '' } }]);

    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const config = testConfig([{ name, alias: 'trail' }]);
    const logger = silentLogger();
    const ports = (clients: ReturnType<typeof createTestAwsClients>, prefix: string) =>
      createAwsPorts({ clients, cache: new RedisCache(redis, { keyPrefix: `test:${prefix}:${name}:` }), config, logger, now: () => new Date() });
    bot = await startTestBot({ config, features: defaultSlackFeatures(config), aws: ports(createTestAwsClients(), 'ok'), redis, answers: { reuseMs: 0 } });
    denied = await startTestBot({ config, features: defaultSlackFeatures(config), aws: ports(createTrailDeniedClients(), 'denied'), redis, answers: { reuseMs: 0 } });
  });
  afterAll(async () => {
    await bot?.stop();
    await denied?.stop();
    redis?.disconnect();
  });

  async function ask(on: RunningBot, text: string): Promise<{ body: Record<string, unknown>; all: string }> {
    const ack = await on.command(text);
    expect(ack.status).toBe(200);
    const body = await on.answer(ack);
    return { body, all: JSON.stringify(body) };
  }

  it('/s3 changes lists who changed what, newest first, in the channel', async () => {
    const { body, all } = await ask(bot, 'changes trail');
    expect(body.response_type).toBe('in_channel');
    const order = [
      'default encryption removed',
      'versioning Enabled → Suspended',
      'bucket policy now allows `*` to `s3:GetObject`',
      'Block Public Access: BlockPublicPolicy on → off',
      'lifecycle rule `expire-test-files` removed',
      'lifecycle rules set: `expire-test-files`, `archive`',
    ].map((phrase) => {
      const at = all.indexOf(phrase);
      expect(at, phrase).toBeGreaterThan(-1);
      return at;
    });
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(all).toContain('`AWS service cloudformation.amazonaws.com`');
    expect(all).toContain('`root` from 203.0.113.9 (SDK (JavaScript))');
    expect(all).toContain('`assumed-role Deploy/ci-1234` from 198.51.100.7 (SDK (JavaScript))');
  });

  it('/s3 changes --who keeps one principal’s changes', async () => {
    const { all } = await ask(bot, 'changes trail --since 24h --who root');
    expect(all).toContain('versioning Enabled → Suspended');
    expect(all).not.toContain('Deploy');
    expect(all).toContain('1 change');
  });

  it('/s3 changes with a bad --since says what is wrong, to the asker only', async () => {
    const { body, all } = await ask(bot, 'changes trail --since forever');
    expect(body.response_type).toBe('ephemeral');
    expect(all).toContain('--since');
  });

  it('/s3 status shows the last change and who introduced each finding', async () => {
    const { all } = await ask(bot, 'status trail');
    expect(all).toMatch(/Last change:\* default encryption removed, \d{4}-\d\d-\d\d \d\d:\d\d UTC by `AWS service cloudformation.amazonaws.com`/);
    expect(all).toMatch(/Block Public Access is off[^"]*Introduced \d{4}-\d\d-\d\d \d\d:\d\d UTC by `assumed-role Deploy\/ci-1234`: Block Public Access: BlockPublicPolicy on → off/);
    expect(all).toMatch(/Versioning is suspended[^"]*Introduced [^"]* by `root`: versioning Enabled → Suspended/);
  });

  it('/s3 changes without cloudtrail:LookupEvents names the permission', async () => {
    const { all } = await ask(denied, 'changes trail');
    expect(all).toContain('CloudTrail could not be read');
    expect(all).toContain("AWS denied LookupEvents. Grant the bot's IAM role `cloudtrail:LookupEvents`.");
  });
});
