/**
 * A scrape of the worker's `/metrics` while Redis is away answers at once with what it last knew
 * (queue depth and alert states are read from Redis at scrape time, over the fail-fast
 * connection), instead of hanging until Redis is back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';

describeWithServices('the worker\'s /metrics while Redis is down', () => {
  const saved = { ...process.env };
  let redis: PrivateRedis;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    Object.assign(process.env, awsTestEnv());
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-worker-metrics-down', SLACK_API_URL: 'http://127.0.0.1:1/api/', REDIS_URL: redis.url, PORT: '0' });
    const file = fileConfigSchema.parse({ buckets: [{ name: 'metrics-down-bucket', alias: 'docs' }], channels: { alerts: 'C0ALERTS' } });
    const config: Config = { ...file, env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL } };
    worker = await startWorker(config, silentLogger(), {
      handleSignals: false,
      ticks: () => ({ stop: () => undefined }),
      digestTicks: () => ({ stop: () => undefined }),
    });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await worker?.stop();
    await redis?.destroy();
    process.env = saved;
  });

  it('answers a scrape within seconds, with the alert-state gauge still there, and again once Redis is back', async () => {
    const url = `http://127.0.0.1:${worker!.metricsPort}/metrics`;
    const before = await fetch(url);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('s3chatops_alerts');

    await redis.stop();
    const during = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    expect(during.status).toBe(200);
    expect(await during.text()).toContain('s3chatops_alerts');

    await redis.start();
    const after = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    expect(after.status).toBe(200);
  }, 60_000);
});
