import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CLEANUP_JOB, CLEANUP_JOB_OPTIONS, CLEANUP_QUEUE, cleanupJobId, type CleanupJobData } from '../../../src/jobs/cleanup-job.js';
import { createLogger } from '../../../src/lib/logger.js';
import { startWorker } from '../../../src/worker.js';
import { createTestAwsClients, awsTestEnv, describeWithServices, motoUrl } from '../../helpers/services.js';
import { PREFIX, seedCleanupBucket, versionsLeft, type CleanupSeed } from '../actions/seed-cleanup.js';
import { startFakeSlack } from '../../helpers/fake-slack.js';
import { SIGNING_SECRET, testConfig } from '../slack/harness.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { Writable } from 'node:stream';

// `s3-chatops start --role worker` as a process on a Redis of the test's own (the real command
// line uses the default queue names), its AWS calls going through a proxy to moto that holds
// them, so a SIGTERM lands while a cleanup job is running.
describeWithServices('shutdown of the worker process', () => {
  let redis: PrivateRedis;
  let proxy: FaultProxy;
  let seed: CleanupSeed;
  let queue: Queue<CleanupJobData>;
  let connection: Redis;
  let worker: BotProcess | undefined;

  beforeAll(async () => {
    seed = await seedCleanupBucket('wshutdown', { old: 3, recent: 1, outside: 1 });
    redis = await startPrivateRedis();
    proxy = await new FaultProxy(motoUrl()).start();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue<CleanupJobData>(CLEANUP_QUEUE, { connection });
  });
  afterEach(async () => {
    proxy.release();
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    worker = undefined;
    await queue.obliterate({ force: true });
  });
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await proxy?.stop();
    await redis?.destroy();
  });

  /** Starts the worker, queues a cleanup of the seeded bucket and resolves once its first S3 call is held. */
  async function startWithHeldJob(cutoff: string, role: 'worker' | 'all' = 'worker', env: Record<string, string> = {}): Promise<string> {
    worker = await startBotProcess({ ...awsTestEnv(), AWS_ENDPOINT_URL: proxy.url, REDIS_URL: redis.url, ...env }, [{ name: seed.bucket, alias: 'docs' }], role);
    proxy.hold();
    const id = cleanupJobId(seed.bucket, cutoff);
    await queue.add(CLEANUP_JOB, { bucket: seed.bucket, label: 'docs', prefix: PREFIX, cutoff, user: 'U1' }, { ...CLEANUP_JOB_OPTIONS, jobId: id });
    await proxy.whenHolding();
    return id;
  }

  it('SIGTERM during a running job: the job finishes, then the process exits 0', async () => {
    // Five days ago: every version of the old test objects (10 to 20 days) goes, the recent one (1 day) stays.
    const id = await startWithHeldJob(new Date(Date.now() - 5 * 86_400_000).toISOString());
    expect(await (await queue.getJob(id))!.getState()).toBe('active');
    worker!.child.kill('SIGTERM');
    await expect.poll(() => worker!.logs.some((l) => l.msg === 'stopping'), { timeout: 10_000 }).toBe(true);
    // Still waiting for the job, whose listing is held in the proxy.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(worker!.child.exitCode).toBeNull();

    proxy.release();
    expect(await worker!.exited).toBe(0);
    const job = (await queue.getJob(id))!;
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ deleted: seed.oldVersions, done: true });
    const left = await versionsLeft(createTestAwsClients().s3, seed.bucket);
    for (const key of seed.oldKeys) expect(left.has(key)).toBe(false);
    expect(seed.recentKeys.every((k) => left.get(k) === 1)).toBe(true);
    expect(worker!.logs.some((l) => l.msg === 'worker stopped')).toBe(true);
    // The job's own lines carry its id.
    expect(worker!.logs.filter((l) => l.msg === 'cleanup done').map((l) => l.jobId)).toEqual([id]);
  }, 120_000);

  it('a second signal exits at once, without waiting for the running job', async () => {
    const id = await startWithHeldJob(new Date(Date.now() - 6 * 86_400_000).toISOString());
    worker!.child.kill('SIGTERM');
    await expect.poll(() => worker!.logs.some((l) => l.msg === 'stopping'), { timeout: 10_000 }).toBe(true);
    worker!.child.kill('SIGINT');
    expect(await worker!.exited).toBe(1);
    // It exited while the job's S3 calls were still held: the job is left active, for its lock to lapse.
    expect(proxy.heldCount).toBeGreaterThan(0);
    expect(await (await queue.getJob(id))!.getState()).toBe('active');
    expect(worker!.logs.some((l) => l.msg === 'second signal: exiting at once')).toBe(true);
  }, 120_000);

  it('`start --role all`: a second signal exits at once too, without waiting for the running job', async () => {
    const slack = await startFakeSlack();
    try {
      const id = await startWithHeldJob(new Date(Date.now() - 6 * 86_400_000).toISOString(), 'all', {
        SLACK_BOT_TOKEN: 'xoxb-all-role-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
      });
      worker!.child.kill('SIGTERM');
      await expect.poll(() => worker!.logs.some((l) => l.msg === 'stopping bot and worker'), { timeout: 10_000 }).toBe(true);
      worker!.child.kill('SIGINT');
      expect(await worker!.exited).toBe(1);
      expect(proxy.heldCount).toBeGreaterThan(0);
      expect(await (await queue.getJob(id))!.getState()).toBe('active');
      expect(worker!.logs.some((l) => l.msg === 'second signal: exiting at once')).toBe(true);
    } finally {
      await slack.stop();
    }
  }, 120_000);

  it('a job still running when the shutdown time runs out is left for another worker; stop() does not wait for it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const saved = { ...process.env };
    Object.assign(process.env, awsTestEnv());
    try {
      const config = testConfig([{ name: seed.bucket, alias: 'docs' }], { AWS_ENDPOINT_URL: proxy.url, REDIS_URL: redis.url });
      const handle = await startWorker(config, createLogger({ destination }), { handleSignals: false, metricsPort: 0, shutdownTimeoutMs: 1_000 });
      proxy.hold();
      const cutoff = new Date(Date.now() - 7 * 86_400_000).toISOString();
      const id = cleanupJobId(seed.bucket, cutoff);
      await queue.add(CLEANUP_JOB, { bucket: seed.bucket, label: 'docs', prefix: PREFIX, cutoff, user: 'U1' }, { ...CLEANUP_JOB_OPTIONS, jobId: id });
      await proxy.whenHolding();

      await handle.stop();
      // The job was not waited for: its listing is still held, and BullMQ still has it active (not failed),
      // so once its lock lapses the stalled check of another worker puts it back to be retried.
      expect(proxy.heldCount).toBeGreaterThan(0);
      expect(await (await queue.getJob(id))!.getState()).toBe('active');
      const warning = lines.find((l) => String(l.msg).startsWith('jobs still running when the shutdown time ran out'));
      expect(warning).toMatchObject({ timeoutMs: 1_000, left: [{ queue: CLEANUP_QUEUE, jobName: CLEANUP_JOB, jobId: id }] });
      expect(lines.some((l) => l.msg === 'worker stopped')).toBe(true);
    } finally {
      process.env = saved;
    }
  }, 120_000);

  it('`start --role all` (what `npm start` runs) answers /healthz, serves the worker’s metrics on the bot’s port, and exits 0 on SIGTERM', async () => {
    const slack = await startFakeSlack();
    try {
      worker = await startBotProcess(
        { ...awsTestEnv(), AWS_ENDPOINT_URL: proxy.url, REDIS_URL: redis.url, SLACK_BOT_TOKEN: 'xoxb-all-role-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
        [{ name: seed.bucket, alias: 'docs' }],
        'all',
      );
      const url = `http://127.0.0.1:${worker.port}`;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      // One port for both: the worker's queue depth is on the bot's /metrics.
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`s3chatops_queue_jobs\\{queue="${CLEANUP_QUEUE}",state="waiting"\\} 0`));
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.logs.some((l) => l.msg === 'bot stopped')).toBe(true);
      expect(worker.logs.some((l) => l.msg === 'worker stopped')).toBe(true);
    } finally {
      await slack.stop();
    }
  }, 120_000);
});
