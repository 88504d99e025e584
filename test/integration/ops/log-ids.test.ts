import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLEANUP_JOB, CLEANUP_JOB_OPTIONS, CLEANUP_QUEUE, cleanupJobId, type CleanupJobData } from '../../../src/jobs/cleanup-job.js';
import { createLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { PREFIX, seedCleanupBucket, type CleanupSeed } from '../actions/seed-cleanup.js';
import { appHomeOpenedBody, refreshBody, SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';

type Line = Record<string, unknown>;

// The composition roots as production runs them (startBot, startWorker) with a debug-level
// logger: every line written while a Slack request or a job is handled, from the listener down
// to the AWS adapters and Slack clients, carries the request's or the job's id.
describeWithServices('a request or job id on every log line', () => {
  const saved = { ...process.env };
  const run = `logids-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const lines: Line[] = [];
  let duplicated = 0;
  let seed: CleanupSeed;
  let slack: FakeSlack;
  let bot: BotHandle;
  let worker: WorkerHandle;
  let url: string;
  let connection: Redis;
  let cleanupQueue: Queue<CleanupJobData>;

  beforeAll(async () => {
    seed = await seedCleanupBucket('logids', { old: 2, recent: 1, outside: 1 });
    slack = await startFakeSlack();
    Object.assign(process.env, awsTestEnv());
    const config = testConfig([{ name: seed.bucket, alias: 'docs' }], { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL! });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          // JSON.parse keeps the last of two equal keys; a job's context bound again would hide there.
          // (requestId also names AWS's own id inside `metadata`, so only the job's keys are counted.)
          for (const key of ['jobId', 'queue', 'jobName']) duplicated += line.split(`"${key}":`).length > 2 ? 1 : 0;
          lines.push(JSON.parse(line) as Line);
        }
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination });
    bot = await startBot(config, logger, { port: 0, handleSignals: false, queuePrefix: run, alertKeyPrefix: `${run}:` });
    url = `http://127.0.0.1:${bot.port}`;
    // No ticks: the only jobs are the ones the test queues.
    const never = () => ({ stop: () => undefined });
    worker = await startWorker(config, logger, { handleSignals: false, metricsPort: 0, queuePrefix: run, keyPrefix: `${run}:`, ticks: never, digestTicks: never });
    connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    cleanupQueue = new Queue<CleanupJobData>(CLEANUP_QUEUE, { connection, prefix: run });
    // Start-up lines (auth.test in the background) are done before the first request.
    await slack.waitFor((c) => c.method === 'auth.test', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  afterAll(async () => {
    await bot?.stop();
    await worker?.stop();
    await cleanupQueue?.obliterate({ force: true }).catch(() => undefined);
    await cleanupQueue?.close();
    connection?.disconnect();
    await slack?.stop();
    process.env = saved;
  });

  /** The lines written while `work` ran, once at least one came. */
  async function linesDuring(work: () => Promise<void>): Promise<Line[]> {
    const from = lines.length;
    await work();
    // Lines written just after the answer (a response's own debug line) belong to it too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return lines.slice(from);
  }

  function expectOneId(during: Line[], key: 'requestId' | 'jobId'): string {
    expect(during.length).toBeGreaterThan(0);
    const missing = during.filter((l) => typeof l[key] !== 'string');
    expect(missing).toEqual([]);
    const ids = new Set(during.map((l) => l[key]));
    expect(ids.size).toBe(1);
    return [...ids][0] as string;
  }

  it('a slash command: the acknowledgement, the AWS calls of its work and the answer share one request id', async () => {
    const during = await linesDuring(async () => {
      const { id, url: responseUrl } = slack.responseUrl();
      const ack = await postSigned(`${url}/slack/events`, slashCommandBody('status docs', responseUrl), { signingSecret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      await slack.waitFor((c) => c.responseId === id, 20_000);
    });
    expectOneId(during, 'requestId');
    // Lines from deep inside the work (the AWS adapters' own logger) are among them, not only Bolt's.
    expect(during.some((l) => l.component === 'aws-sdk')).toBe(true);
    expect(during.some((l) => l.component === 'bolt')).toBe(true);
  });

  it('a button press (Refresh) and App Home each get their own request id on every line', async () => {
    const refresh = await linesDuring(async () => {
      const { id, url: responseUrl } = slack.responseUrl();
      const ack = await postSigned(`${url}/slack/events`, refreshBody('docs', responseUrl), { signingSecret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      await slack.waitFor((c) => c.responseId === id, 20_000);
    });
    const refreshId = expectOneId(refresh, 'requestId');
    const home = await linesDuring(async () => {
      const published = slack.callsOf('views.publish').length;
      const ack = await postSigned(`${url}/slack/events`, appHomeOpenedBody(), { signingSecret: SIGNING_SECRET, contentType: 'application/json' });
      expect(ack.status).toBe(200);
      await expect.poll(() => slack.callsOf('views.publish').length, { timeout: 20_000 }).toBeGreaterThan(published);
    });
    expect(expectOneId(home, 'requestId')).not.toBe(refreshId);
  });

  it('a job: every line of its work carries its job id, queue and job name', async () => {
    const cutoff = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const id = cleanupJobId(seed.bucket, cutoff);
    const during = await linesDuring(async () => {
      await cleanupQueue.add(CLEANUP_JOB, { bucket: seed.bucket, label: 'docs', prefix: PREFIX, cutoff, user: 'U1' }, { ...CLEANUP_JOB_OPTIONS, jobId: id });
      await expect.poll(async () => (await cleanupQueue.getJob(id))?.getState(), { timeout: 30_000 }).toBe('completed');
    });
    expect(expectOneId(during, 'jobId')).toBe(id);
    for (const line of during) expect(line).toMatchObject({ queue: CLEANUP_QUEUE, jobName: CLEANUP_JOB });
    expect(during.some((l) => l.msg === 'cleanup done')).toBe(true);
    // No line of any request or job so far wrote an id key twice.
    expect(duplicated).toBe(0);
  });
});
