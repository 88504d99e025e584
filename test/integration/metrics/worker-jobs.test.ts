/**
 * The worker as production starts it, with every queue in use: a confirmed cleanup (its Slack
 * message edited), scheduled test uploads and a Teams card. Its `/metrics` times each of their
 * jobs, counts the cleanup's Slack calls with the others, and shows the depth of every queue.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCHEDULED_TEST_UPLOAD_JOB, TEST_UPLOAD_QUEUE } from '../../../src/actions/scheduled-test-upload.js';
import { CLEANUP_JOB, CLEANUP_JOB_OPTIONS, CLEANUP_QUEUE, cleanupJobId, type CleanupJobData } from '../../../src/jobs/cleanup-job.js';
import { ALERTS_QUEUE, NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { DELIVERY_JOB_OPTIONS } from '../../../src/notify/delivery-schedule.js';
import { TEAMS_DIGEST_JOB, TEAMS_QUEUE, type TeamsDigestJobData } from '../../../src/notify/teams-delivery.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from '../../unit/metrics/exposition.js';
import { PREFIX, seedCleanupBucket, type CleanupSeed } from '../actions/seed-cleanup.js';
import { testConfig } from '../slack/harness.js';

describeWithServices('the worker times the jobs of every queue and counts every Slack client', () => {
  const run = `wjobs-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const saved = { ...process.env };
  let seed: CleanupSeed;
  let slack: FakeSlack;
  let teams: FakeTeams;
  let worker: WorkerHandle;
  let connection: Redis;
  let scrape: Exposition;

  const read = async (): Promise<Exposition> => parseExposition(await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text());
  const count = (e: Exposition, queue: string, job: string) => samplesOf(e, 's3chatops_job_duration_seconds_count', { queue, job, outcome: 'success' }).reduce((n, s) => n + s.value, 0);

  beforeAll(async () => {
    seed = await seedCleanupBucket('wjobs', { old: 2, recent: 1, outside: 1 });
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    Object.assign(process.env, awsTestEnv());
    const base = testConfig([{ name: seed.bucket, alias: 'docs' }], {
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: redisUrl(),
      AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL!,
      TEAMS_WEBHOOK_URL: teams.url('d29ya2VyLWpvYnMtbWV0cmljcw'),
    });
    // A scheduled test upload every second, so one runs within the test.
    const config = { ...base, schedules: { ...base.schedules, testUpload: '* * * * * *' } };
    const never = () => ({ stop: () => undefined });
    worker = await startWorker(config, silentLogger(), { handleSignals: false, metricsPort: 0, queuePrefix: run, keyPrefix: `${run}:`, ticks: never, digestTicks: never });

    connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const cleanupQueue = new Queue<CleanupJobData>(CLEANUP_QUEUE, { connection, prefix: run });
    const teamsQueue = new Queue<TeamsDigestJobData>(TEAMS_QUEUE, { connection, prefix: run });
    const cutoff = new Date(Date.now() - 5 * 86_400_000).toISOString();
    // Confirmed from a preview message, which the job edits with its summary through its own Slack client.
    await cleanupQueue.add(CLEANUP_JOB, { bucket: seed.bucket, label: 'docs', prefix: PREFIX, cutoff, user: 'U1', message: { channel: 'C0PREVIEW', ts: '1700000000.000100' } }, { ...CLEANUP_JOB_OPTIONS, jobId: cleanupJobId(seed.bucket, cutoff) });
    await teamsQueue.add(TEAMS_DIGEST_JOB, { slot: '2026-01-01', message: { summary: 'Daily digest', blocks: [{ kind: 'text', text: 'All well.' }] } } as TeamsDigestJobData, { ...DELIVERY_JOB_OPTIONS, jobId: `teams-digest-${run}` });
    await cleanupQueue.close();
    await teamsQueue.close();

    const deadline = Date.now() + 60_000;
    for (;;) {
      scrape = await read();
      const done = count(scrape, CLEANUP_QUEUE, CLEANUP_JOB) >= 1 && count(scrape, TEST_UPLOAD_QUEUE, SCHEDULED_TEST_UPLOAD_JOB) >= 1 && count(scrape, TEAMS_QUEUE, TEAMS_DIGEST_JOB) >= 1;
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    for (const name of [CLEANUP_QUEUE, TEAMS_QUEUE, TEST_UPLOAD_QUEUE, ALERTS_QUEUE, NOTIFY_QUEUE]) {
      const q = new Queue(name, { connection, prefix: run });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    connection?.disconnect();
    await teams?.stop();
    await slack?.stop();
    process.env = saved;
  });

  it('times the cleanup, scheduled test-upload and Teams jobs by queue and job name', () => {
    expect(count(scrape, CLEANUP_QUEUE, CLEANUP_JOB)).toBe(1);
    expect(count(scrape, TEST_UPLOAD_QUEUE, SCHEDULED_TEST_UPLOAD_JOB)).toBeGreaterThanOrEqual(1);
    expect(count(scrape, TEAMS_QUEUE, TEAMS_DIGEST_JOB)).toBe(1);
    expect(teams.received.length).toBeGreaterThanOrEqual(1);
  });

  it('counts the cleanup’s Slack calls (its summary edit) in the Slack call metrics', () => {
    expect(slack.callsOf('chat.update').filter((c) => c.body.channel === 'C0PREVIEW').length).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 's3chatops_slack_api_calls_total', { method: 'chat.update', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it('reads the depth of every queue, Teams included when it is configured', () => {
    const queues = new Set(samplesOf(scrape, 's3chatops_queue_jobs').map((s) => s.labels.queue));
    expect(queues).toEqual(new Set([ALERTS_QUEUE, NOTIFY_QUEUE, CLEANUP_QUEUE, TEST_UPLOAD_QUEUE, TEAMS_QUEUE]));
    expect(valueOf(scrape, 's3chatops_queue_jobs', { queue: CLEANUP_QUEUE, state: 'completed' })).toBe(1);
  });
});
