// The digest's alert and test-upload lines, read from what the worker records in Redis: alert
// states, and the scheduled test uploads' finished jobs (real uploads to moto). Through `/s3 digest`
// on the real bot, and `s3-chatops digest` on the command line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startScheduledTestUploads, TEST_UPLOAD_QUEUE } from '../../../src/jobs/scheduled-test-upload.js';
import { scheduledTestUploadRuns } from '../../../src/jobs/test-upload-history.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { BotHandle } from '../../../src/main.js';
import { testUploadDigestSource } from '../../../src/reports/digest/test-upload-source.js';
import type { TickSource } from '../../../src/jobs/tick-source.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { alertState, seedAlertStates } from '../../unit/alerts/alert-states.js';
import { ask, startMainBot } from '../../helpers/main-bot.js';
import { servicesEnv, testConfig } from '../../helpers/config.js';
import { waitFor } from '../../helpers/wait.js';
import { runCliInProcess } from '../cli/run.js';

describeWithServices('the digest reads alert history and scheduled test uploads', () => {
  const docs = uniqueBucketName('dsrc-docs');
  // Never created: every upload to it fails.
  const ghost = uniqueBucketName('dsrc-ghost');
  const run = `dsrc${Date.now()}`;
  let slack: FakeSlack;
  let redis: Redis;
  let producer: Redis;
  let bot: BotHandle | undefined;
  const s3 = createTestAwsClients().s3;
  const startedAt = new Date();

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(docs);
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    producer = new Redis(redisUrl());
    const config = testConfig({ buckets: [{ name: docs, alias: 'docs' }, { name: ghost, alias: 'ghost' }], schedules: { testUpload: '0 * * * *' }, channels: { digest: 'C0DIGEST' } }, servicesEnv(slack));
    await seedAlertStates(redis, `${run}:`, [alertState('server-errors', docs, { status: 'firing', episode: 1, version: 1, since: new Date(Date.now() - 3_600_000).toISOString() })]);

    // Two scheduled slots, run by the real scheduled-upload worker against moto.
    let fire: (slot: Date) => void = () => undefined;
    const ticks: TickSource = (onTick) => {
      fire = onTick;
      return { stop: () => undefined };
    };
    const events: AlertEvent[] = [];
    const uploads = startScheduledTestUploads({ config, logger: silentLogger(), connection: redis, producer, store: new AlertStore(redis, { keyPrefix: `${run}:` }), enqueue: async (e) => void events.push(...e), s3, prefix: run, ticks })!;
    const queue = new Queue(TEST_UPLOAD_QUEUE, { connection: producer, prefix: run });
    try {
      fire(new Date(Date.now() - 3_600_000));
      fire(new Date());
      await waitFor(async () => (await queue.getJobCounts('completed')).completed, (completed) => expect(completed).toBe(4), { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      await uploads.close();
      await queue.close();
    }
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    const keys = await redis.keys(`${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    producer.disconnect();
    s3.destroy();
  });

  it('counts each bucket\'s runs and failures of the day from the finished jobs, and the slowest good one', async () => {
    const source = testUploadDigestSource(scheduledTestUploadRuns({ connection: producer, prefix: run }));
    const since = new Date(startedAt.getTime() - 60_000);
    const good = await source.summary(docs, since);
    expect(good).toMatchObject({ runs: 2, failures: 0 });
    expect(good.slowestMs).toBeGreaterThan(0);
    expect(await source.summary(ghost, since)).toEqual({ runs: 2, failures: 2 });
    // Runs before the day began are not the day's.
    expect(await source.summary(docs, new Date(Date.now() + 60_000))).toEqual({ runs: 0, failures: 0 });
  });

  it('/s3 digest shows the alert history and the test uploads, as the scheduled digest does', async () => {
    bot = await startMainBot(testConfig({ buckets: [{ name: docs, alias: 'docs' }, { name: ghost, alias: 'ghost' }], schedules: { testUpload: '0 * * * *' } }, servicesEnv(slack)), run);
    const { all } = await ask(bot, slack, 'digest', 60_000);
    expect(all).toContain('Alerts: 1 fired, 0 resolved; firing now: `server-errors`');
    expect(all).toContain('Test uploads: 2 runs, all passed, slowest');
    expect(all).toContain('Test uploads: 2 runs, 2 failed');
    expect(all).not.toContain('Alert history not available yet');
  }, 90_000);

  it('s3-chatops digest prints the alert lines from the worker\'s Redis', async () => {
    // The command line reads the default key prefix, as a deployment's worker writes it.
    const cliBucket = uniqueBucketName('dsrc-cli');
    await createBucket(cliBucket);
    const state = alertState('latency', cliBucket, { status: 'resolved', episode: 1, version: 2, since: new Date(Date.now() - 7_200_000).toISOString(), resolvedAt: new Date(Date.now() - 3_600_000).toISOString() }, 'warning');
    await seedAlertStates(redis, undefined, [state]);
    try {
      const dir = mkdtempSync(join(tmpdir(), 's3-chatops-dsrc-'));
      const file = join(dir, 'config.yml');
      writeFileSync(file, `buckets:\n  - name: ${cliBucket}\n`);
      const cli = await runCliInProcess(['digest'], { ...awsTestEnv(), CONFIG_FILE: file, REDIS_URL: redisUrl() });
      expect(cli.stderr).not.toContain('unexpected error');
      expect(cli.code).toBe(0);
      expect(cli.stdout).toContain('Alerts: 1 fired, 1 resolved');
      expect(cli.stdout).not.toContain('Alert history not available yet');

      // Redis away: the digest is still printed, and says what it could not read.
      const down = await runCliInProcess(['digest'], { ...awsTestEnv(), CONFIG_FILE: file, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(down.code).toBe(0);
      expect(down.stderr).toContain('without the alert history');
      expect(down.stdout).toContain('Alert history not available yet');
    } finally {
      await redis.del(`s3-chatops:alerts:state:${state.id}`);
      await redis.srem('s3-chatops:alerts:index', state.id);
    }
  }, 90_000);
}, ['moto', 'redis']);
