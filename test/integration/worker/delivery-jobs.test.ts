// Delivery jobs on real Redis and real BullMQ, against the fake Slack Web API and fake Teams
// webhook: a busy alert is a delay that spends no attempt, a refusal that needs a person stops
// the retries at once (logged and counted), the jobs carry the one documented schedule, and a
// job name no worker knows fails for good.
import { Writable } from 'node:stream';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { enqueueAlertEvents, processDeliver, type AlertProcessorDeps } from '../../../src/jobs/alert-processors.js';
import { dispatchByName } from '../../../src/jobs/dispatch.js';
import { DELIVER_JOB, NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { startTeamsDelivery } from '../../../src/jobs/teams-worker.js';
import { createLogger } from '../../../src/lib/logger.js';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { DELIVERY_ATTEMPTS, deliveryBackoff } from '../../../src/notify/delivery-schedule.js';
import { SlackNotifier } from '../../../src/notify/slack.js';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
      done();
    },
  });
  return { logger: createLogger({ destination }), lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A firing alert's first event. */
function firing(bucket: string): AlertEvent {
  const at = new Date('2026-03-02T10:00:00Z');
  const state = { ...initialState({ rule: 'server-errors', bucket }, 'critical', at), status: 'firing' as const, version: 1, episode: 1, since: at.toISOString(), value: 12, threshold: 10, text: '**12** 5xx errors', recent: [12] };
  return { kind: 'fired', version: 1, at: at.toISOString(), state };
}

describeWithServices('delivery jobs on BullMQ', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let redis: Redis;
  let workerRedis: Redis;
  let n = 0;
  const run = `djob${Date.now()}`;

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    workerRedis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await teams?.stop();
    await slack?.stop();
    redis?.disconnect();
    workerRedis?.disconnect();
  });

  /** The notify queue and its worker as the worker role builds them, on a fresh prefix. */
  function slackDelivery(logger = capturedLogger().logger) {
    n += 1;
    const keyPrefix = `${run}-${n}:`;
    const prefix = `${run}q${n}`;
    const store = new AlertStore(redis, { keyPrefix });
    const notify = new Queue(NOTIFY_QUEUE, { connection: redis, prefix });
    const metrics = botMetrics(new Registry());
    const deps = {
      evaluate: { store, logger },
      deliver: { outbox: store.outbox('slack'), notifier: new SlackNotifier({ token: 'xoxb-jobs', channel: 'C0ALERTS', apiUrl: slack.apiUrl }), message: { region: 'us-east-1' }, logger },
      queues: { notify },
      onRefused: (destination: string, reason: string) => metrics.deliveryRefusals.inc({ destination, reason }),
    } as unknown as AlertProcessorDeps;
    const worker = new Worker(NOTIFY_QUEUE, dispatchByName(NOTIFY_QUEUE, { [DELIVER_JOB]: (job, token) => processDeliver(deps, job, token) }), {
      connection: workerRedis,
      prefix,
      settings: { backoffStrategy: deliveryBackoff },
    });
    const close = async () => {
      await worker.close();
      await notify.obliterate({ force: true });
      await notify.close();
    };
    return { store, notify, worker, metrics, close, bucket: `bucket-${n}` };
  }

  async function commit(store: AlertStore, event: AlertEvent): Promise<void> {
    expect(await store.commit([{ expectedVersion: 0, state: event.state, events: [event] }])).toBe('ok');
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    await expect.poll(read, { timeout: timeoutMs, interval: 50 }).toSatisfy(done);
    return read();
  }

  it('a busy alert waits as a delayed job, however often, without spending an attempt; it is posted once when free', async () => {
    const d = slackDelivery();
    try {
      const event = firing(d.bucket);
      await commit(d.store, event);
      // Another worker holds the alert.
      const held = (await d.store.outbox('slack').lock(event.state.id, 60_000))!;
      await enqueueAlertEvents({ notify: d.notify }, [event], capturedLogger().logger);
      const [job] = await d.notify.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      const id = job!.id!;
      // Three tries found it busy: each put the job back as delayed, none counted as an attempt.
      const seen = await until(() => d.notify.getJob(id), (j) => (j?.attemptsStarted ?? 0) >= 3 && j!.attemptsMade === 0);
      expect(seen!.attemptsMade).toBe(0);
      expect(await d.notify.getJobState(id)).toMatch(/delayed|active|waiting/);
      expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body).includes(event.state.id))).toHaveLength(0);
      await held.release();
      await until(() => d.notify.getJobState(id), (s) => s === 'completed');
      const done = (await d.notify.getJob(id))!;
      expect(done.failedReason ?? '').toBe('');
      // The completion is its only counted attempt.
      expect(done.attemptsMade).toBe(1);
      expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body).includes(event.state.id))).toHaveLength(1);
    } finally {
      await d.close();
    }
  }, 40_000);

  it('channel_not_found fails the job for good on its first attempt, with an error line and a count', async () => {
    const { logger, lines } = capturedLogger();
    const d = slackDelivery(logger);
    slack.failWith('chat.postMessage', 'channel_not_found', 1);
    try {
      const event = firing(d.bucket);
      await commit(d.store, event);
      await enqueueAlertEvents({ notify: d.notify }, [event], logger);
      const [job] = await d.notify.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      await until(() => d.notify.getJobState(job!.id!), (s) => s === 'failed');
      const failed = (await d.notify.getJob(job!.id!))!;
      expect(failed.opts.attempts).toBe(DELIVERY_ATTEMPTS);
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toBe('slack refused the delivery: channel_not_found');
      const line = lines().find((l) => l.reason === 'channel_not_found');
      expect(line).toMatchObject({ level: 50, destination: 'slack' });
      expect(String(line!.msg)).toMatch(/refused the delivery.*person/);
      const counted = (await d.metrics.deliveryRefusals.get()).values.find((v) => v.labels.reason === 'channel_not_found' && v.labels.destination === 'slack');
      expect(counted?.value).toBe(1);
      // The change stays in the outbox for the tick's sweep, once a person has fixed the channel.
      expect(await d.store.outbox('slack').pendingIds()).toContain(event.state.id);
    } finally {
      await d.close();
    }
  }, 40_000);

  it('a 429 from Slack is a wait for its Retry-After, not an attempt: the job completes on its only counted attempt', async () => {
    const d = slackDelivery();
    slack.rateLimit('chat.postMessage', 1, 1);
    try {
      const event = firing(d.bucket);
      await commit(d.store, event);
      await enqueueAlertEvents({ notify: d.notify }, [event], capturedLogger().logger);
      const [job] = await d.notify.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      await until(() => d.notify.getJobState(job!.id!), (s) => s === 'completed');
      const done = (await d.notify.getJob(job!.id!))!;
      expect(done.attemptsMade).toBe(1);
      expect(done.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(await d.store.outbox('slack').pendingIds()).not.toContain(event.state.id);
    } finally {
      await d.close();
    }
  }, 40_000);

  it('a 500 from Slack spends an attempt and is retried on the schedule until it is posted', async () => {
    const d = slackDelivery();
    slack.failWith('chat.postMessage', 'internal_error', 1);
    try {
      const event = firing(d.bucket);
      await commit(d.store, event);
      await enqueueAlertEvents({ notify: d.notify }, [event], capturedLogger().logger);
      const [job] = await d.notify.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      await until(() => d.notify.getJobState(job!.id!), (s) => s === 'completed');
      // One failed attempt, then the completed one: the client itself retried nothing.
      expect((await d.notify.getJob(job!.id!))!.attemptsMade).toBe(2);
      expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body).includes(event.state.id))).toHaveLength(2);
    } finally {
      await d.close();
    }
  }, 40_000);

  it('a Teams webhook answering 404 stops the Teams job at once, logged and counted', async () => {
    n += 1;
    const { logger, lines } = capturedLogger();
    const registry = new Registry();
    const producer = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const store = new AlertStore(redis, { keyPrefix: `${run}-t${n}:`, destinations: ['slack', 'teams'] });
    const delivery = startTeamsDelivery({ webhookUrl: teams.url('refused-sig'), outbox: store.outbox('teams'), workerConnection: workerRedis, producerConnection: producer, storeConnection: redis, queuePrefix: `${run}t${n}`, keyPrefix: `${run}-t${n}:`, message: { region: 'us-east-1' }, logger, registry });
    const queue = new Queue(TEAMS_QUEUE, { connection: redis, prefix: `${run}t${n}` });
    try {
      teams.answerNext({ status: 404 });
      const event = firing(`teams-${n}`);
      await commit(store, event);
      await delivery.feed.alertEvents([event]);
      const [job] = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      await until(() => queue.getJobState(job!.id!), (s) => s === 'failed');
      const failed = (await queue.getJob(job!.id!)) as Job;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toBe('teams refused the delivery: http_404');
      expect(lines().find((l) => l.reason === 'http_404')).toMatchObject({ level: 50, destination: 'teams' });
      const counted = (await botMetrics(registry).deliveryRefusals.get()).values.find((v) => v.labels.reason === 'http_404');
      expect(counted?.value).toBe(1);
    } finally {
      await delivery.close();
      await queue.obliterate({ force: true });
      await queue.close();
      producer.disconnect();
    }
  }, 40_000);

  it('a job name no worker knows fails for good on its first attempt, saying which it runs', async () => {
    const d = slackDelivery();
    try {
      const job = await d.notify.add('alert-deliver-v2', { alertId: 'x' }, { attempts: 5 });
      await until(() => d.notify.getJobState(job.id!), (s) => s === 'failed');
      const failed = (await d.notify.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toBe(`unknown job "alert-deliver-v2" on queue ${NOTIFY_QUEUE}; this worker runs: ${DELIVER_JOB}`);
    } finally {
      await d.close();
    }
  }, 40_000);
}, ['redis']);
