/**
 * The digest's time comes while Redis is away: the worker keeps trying to queue it, and once Redis
 * is back the digest is posted, once, rather than skipped until the next day.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';

describeWithServices('the daily digest across a Redis outage at its time', () => {
  const bucket = uniqueBucketName('digestdown');
  const saved = { ...process.env };
  let redis: PrivateRedis;
  let slack: FakeSlack;
  let worker: WorkerHandle | undefined;
  let fireDigest: (run: Date) => void = () => undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    await createBucket(bucket);
    Object.assign(process.env, awsTestEnv());
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-digest-down', SLACK_API_URL: slack.apiUrl, REDIS_URL: redis.url, PORT: '0' });
    const file = fileConfigSchema.parse({ buckets: [{ name: bucket, alias: 'docs' }], channels: { digest: 'C0DIGEST' } });
    const config: Config = { ...file, env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, apiUrl: slack.apiUrl } };
    worker = await startWorker(config, silentLogger(), {
      handleSignals: false,
      metricsPort: 0,
      ticks: () => ({ stop: () => undefined }),
      digestTicks: (onTick) => {
        fireDigest = onTick;
        return { stop: () => undefined };
      },
      digestRetryMs: 200,
    });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await worker?.stop();
    await redis?.destroy();
    await slack?.stop();
    process.env = saved;
  });

  it('queues the digest once Redis is back and posts it once', async () => {
    await redis.stop();
    fireDigest(new Date());
    // Several failed tries while Redis is away.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    await redis.start();
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DIGEST', 30_000);
    // Later tries (none should be left) and the job's own retries post nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C0DIGEST')).toHaveLength(1);
  }, 90_000);
});
