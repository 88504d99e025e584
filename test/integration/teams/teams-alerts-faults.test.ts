// The Teams bot's alert channel when the Bot Connector misbehaves, on real Redis and BullMQ with the
// real proactive path (the SDK's continueConversation) against the fake connector: a refusal of the
// conversation (403, 404) fails the job for good, logged and counted; a connector that never
// answers is cut at the deadline and the job retried, with the card posted once.
import { Writable } from 'node:stream';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { startTeamsDelivery, type TeamsDelivery } from '../../../src/jobs/teams-worker.js';
import { createLogger } from '../../../src/lib/logger.js';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { TEAMS_BOT_DESTINATION } from '../../../src/notify/destinations.js';
import { FakeConnector, testConnections } from '../../helpers/fake-connector.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { waitFor } from '../../helpers/wait.js';

const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const CHANNEL = '19:faults0channel@thread.tacv2';
const DEADLINE_MS = 400;

/** A firing alert's first event. */
function fired(bucket: string): AlertEvent {
  const at = new Date();
  const state = { ...initialState({ rule: 'server-errors', bucket }, 'critical', at), status: 'firing' as const, version: 1, episode: 1, since: at.toISOString(), value: 12, threshold: 10, text: '**12** 5xx errors', recent: [12] };
  return { kind: 'fired', version: 1, at: at.toISOString(), state };
}

describeWithServices('the Teams bot\'s alert channel when the connector fails', () => {
  let connector: FakeConnector;
  let redis: Redis;
  let producer: Redis;
  const run = `tbf${Date.now()}`;
  let n = 0;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    producer = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    producer?.disconnect();
    redis?.disconnect();
    await connector?.stop();
  });

  /** A Teams delivery with the bot's channel alone, its log lines and metrics captured. */
  const start = () => {
    n += 1;
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
        done();
      },
    });
    const registry = new Registry();
    const prefix = `${run}n${n}`;
    // Changes reach the bot's outbox as the worker's commits put them there.
    const store = new AlertStore(redis, { keyPrefix: `${prefix}:`, destinations: [TEAMS_BOT_DESTINATION] });
    const delivery: TeamsDelivery = startTeamsDelivery({
      bot: { settings: { appId: APP_ID, tenantId: TENANT, password: 'unused' }, channel: CHANNEL, serviceUrl: connector.serviceUrl, outbox: store.outbox(TEAMS_BOT_DESTINATION), connections: testConnections(), deadlineMs: DEADLINE_MS },
      workerConnection: redis,
      producerConnection: producer,
      storeConnection: redis,
      queuePrefix: prefix,
      keyPrefix: `${prefix}:`,
      message: { region: 'us-east-1' },
      logger: createLogger({ destination }),
      registry,
    });
    const queue = new Queue(TEAMS_QUEUE, { connection: redis, prefix });
    return {
      delivery,
      store,
      /** Commits a change (into the bot's outbox) and queues its job, as the worker does. */
      async fire(event: AlertEvent) {
        expect(await store.commit([{ expectedVersion: 0, state: event.state, events: [event] }])).toBe('ok');
        await delivery.feed.alertEvents([event]);
      },
      queue,
      registry,
      lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
      async close() {
        await delivery.close();
        await queue.obliterate({ force: true });
        await queue.close();
      },
    };
  };

  describe.each([
    [403, 'http_403'],
    [404, 'http_404'],
  ])('a connector answering %i for the conversation', (status, reason) => {
    it('fails the job for good on its first attempt, with an error line and the refusal counted', async () => {
      const d = start();
      try {
        connector.answerNext({ status });
        const before = connector.calls.length;
        await d.fire(fired(`refused-${status}-${n}`));
        const [job] = await d.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
        await waitFor(() => d.queue.getJobState(job!.id!), (s) => expect(s).toBe('failed'), { timeoutMs: 20_000 });
        const failed = (await d.queue.getJob(job!.id!)) as Job;
        expect(failed.attemptsMade).toBe(1);
        expect(failed.failedReason).toBe(`teams-bot refused the delivery: ${reason}`);
        expect(connector.calls.slice(before).map((c) => c.status)).toEqual([status]);
        expect(d.lines().find((l) => l.reason === reason)).toMatchObject({ level: 50, destination: 'teams-bot', msg: expect.stringContaining('not retried until a person fixes') });
        const counted = (await botMetrics(d.registry).deliveryRefusals.get()).values.find((v) => v.labels.destination === 'teams-bot' && v.labels.reason === reason);
        expect(counted?.value).toBe(1);
      } finally {
        await d.close();
      }
    }, 40_000);
  });

  it('cuts a post the connector never answers at the deadline, tries again, and the card is posted once', async () => {
    const d = start();
    try {
      connector.answerNext('stall');
      const before = connector.calls.length;
      await d.fire(fired(`stalled-${n}`));
      const [job] = await d.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      await waitFor(() => d.queue.getJobState(job!.id!), (s) => expect(s).toBe('completed'), { timeoutMs: 20_000 });
      const calls = connector.calls.slice(before);
      // The stalled post, then the retry the connector took: one card in the channel.
      expect(calls.map((c) => c.status)).toEqual(['stalled', 200]);
      expect(calls.every((c) => c.method === 'POST' && c.conversationId === CHANNEL)).toBe(true);
      const done = (await d.queue.getJob(job!.id!)) as Job;
      // One failed attempt (cut at the deadline), then the one that completed.
      expect(done.attemptsMade).toBe(2);
      expect(d.lines().find((l) => l.msg === 'Teams job failed')).toMatchObject({ err: expect.objectContaining({ message: `the Bot Connector did not answer within ${DEADLINE_MS / 1000} s` }) });
      // Recorded sent: nothing of it is left for a later job to send again.
      expect(await d.store.outbox(TEAMS_BOT_DESTINATION).pendingIds()).toEqual([]);
    } finally {
      await d.close();
    }
  }, 40_000);
}, ['redis']);
