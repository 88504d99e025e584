/**
 * `s3chatops_alert_last_success_timestamp_seconds` across restarts: the worker as production
 * starts it, on Redis, started again and again with one key prefix, as a crash-looping
 * deployment would be. Its gauge must never be reset to its own start.
 */
import { afterEach, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../src/lib/logger.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { startWorker, STORE_COMMAND_TIMEOUT_MS, type WorkerHandle } from '../../../src/worker.js';
import { startFrozenRedisProxy } from '../../helpers/frozen-tcp.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices('the last alert evaluation success, across worker restarts', () => {
  const run = `lastok${Date.now()}`;
  let worker: WorkerHandle | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  const env = (url = redisUrl()) => envSchema.parse({ SLACK_BOT_TOKEN: 'xoxb-last-success', SLACK_API_URL: 'http://127.0.0.1:9/api/', REDIS_URL: url, PORT: '0' });
  const config = (url?: string): Config => {
    const e = env(url);
    return { ...fileConfigSchema.parse({ buckets: [{ name: 'never-asked' }] }), env: e, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: e.SLACK_BOT_TOKEN } };
  };
  /** Starts a worker with no schedule of its own; reads its gauge, in seconds. */
  const start = async (keyPrefix: string, through?: { url: string; logger: ReturnType<typeof silentLogger> }): Promise<() => Promise<number>> => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    worker = await startWorker(config(through?.url), through?.logger ?? silentLogger(), {
      handleSignals: false,
      serveMetrics: false,
      registry,
      queuePrefix: `${run}q`,
      keyPrefix,
      ticks: () => ({ stop: () => undefined }),
      digestTicks: () => ({ stop: () => undefined }),
    });
    return async () => (await registry.getSingleMetric('s3chatops_alert_last_success_timestamp_seconds')!.get()).values[0]!.value;
  };

  it('a worker restarted before any evaluation succeeded keeps the first start, not its own', async () => {
    const prefix = `${run}:crash:`;
    const before = Date.now() / 1000;
    const read = await start(prefix);
    // The first worker of the deployment: its own start, once Redis has answered.
    await expect.poll(read).toBeGreaterThanOrEqual(Math.floor(before));
    const first = await read();
    await worker!.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await start(prefix);
    await expect.poll(second).toBe(first);
  });

  it('a restarted worker starts from the last success recorded, which never moves back', async () => {
    const prefix = `${run}:ok:`;
    await start(prefix);
    const success = new Date(Date.now() - 3_600_000);
    await worker!.store.evaluationSucceeded(success);
    await worker!.store.evaluationSucceeded(new Date(success.getTime() - 60_000));
    await worker!.stop();
    await expect.poll(await start(prefix)).toBe(success.getTime() / 1000);
  });

  it('with Redis not answering at the start, the read fails at its deadline and is tried again; once Redis answers, the gauge is set', async () => {
    const prefix = `${run}:frozen:`;
    const proxy = await startFrozenRedisProxy(redisUrl());
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    try {
      proxy.freeze();
      const before = Date.now() / 1000;
      const read = await start(prefix, { url: proxy.url, logger: createLogger({ level: 'warn', destination }) });
      // Generous on a loaded machine: one deadline, and then some; without a deadline it never comes.
      await expect
        .poll(() => lines.some((l) => l.includes('could not read the last alert evaluation success from Redis; trying again')), { timeout: STORE_COMMAND_TIMEOUT_MS + 10_000, interval: 250 })
        .toBe(true);
      proxy.pass();
      await expect.poll(read, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(Math.floor(before));
    } finally {
      await worker?.stop();
      worker = undefined;
      await proxy.stop();
    }
  }, 60_000);
}, ['redis']);
