/**
 * The digest's time comes while Redis is away: the worker keeps trying to queue it, and once Redis
 * is back the digest is queued within seconds (on the reconnect, or the next try, the waits
 * starting at 1 s) and posted, once, rather than skipped until the next day.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { ALERTS_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';

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
      serveMetrics: false,
      ticks: () => ({ stop: () => undefined }),
      digestTicks: (onTick) => {
        fireDigest = onTick;
        return { stop: () => undefined };
      },
    });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await worker?.stop();
    await redis?.destroy();
    await slack?.stop();
    process.env = saved;
  });

  it('queues the digest as soon as Redis is back, and posts it once', async () => {
    await redis.stop();
    fireDigest(new Date());
    // The first try failed while Redis is away.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    await redis.start();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(ALERTS_QUEUE, { connection });
    try {
      // Queued on the producer connection's reconnect, or the next try within seconds (the waits
      // start at 1 s): 20 s bounds it, even when Redis went away while the worker's queues started.
      await expect.poll(async () => (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).some((j) => j.name === 'digest'), { timeout: 20_000, interval: 100 }).toBe(true);
      await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DIGEST', 60_000);
      // Later tries (none should be left) and the job's own retries post nothing more.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C0DIGEST')).toHaveLength(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 120_000);
});
