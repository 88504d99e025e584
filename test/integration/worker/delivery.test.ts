// Alert delivery on real Redis and the fake Slack Web API / fake Teams webhook: the per-alert lock
// lives as long as its holder works (and stops a holder that lost it), each Slack step of an event
// is done once across retries, a delivery that failed for good is revived by the sweep, and every
// Slack call of a burst is paced per channel across deliverers.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertOutbox } from '../../../src/alerts/outbox.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent, AlertEventKind, AlertState } from '../../../src/alerts/types.js';
import { processDeliver, enqueueAlertEvents, relayPending, type AlertProcessorDeps } from '../../../src/jobs/alert-processors.js';
import { NOTIFY_QUEUE, type DeliverData } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { acquireLock, LockLostError } from '../../../src/lib/redis-lock.js';
import { RedisPacer } from '../../../src/lib/redis-pacer.js';
import { deliverAlert, type DeliverDeps } from '../../../src/notify/deliver.js';
import { DeliveryBusyError } from '../../../src/notify/pipeline.js';
import { PacedNotifier } from '../../../src/notify/paced.js';
import { SlackNotifier } from '../../../src/notify/slack.js';
import { deliverTeamsAlert } from '../../../src/notify/teams-delivery.js';
import { TeamsWebhook } from '../../../src/notify/teams-webhook.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { elapse, waitFor } from '../../helpers/wait.js';

const logger = silentLogger();
const message = { region: 'us-east-1' };
/** Fast retries, as the worker tests use; a 429 is still waited out for its Retry-After. */
const RETRY = { retries: 10, factor: 1, minTimeout: 50, maxTimeout: 100 };

describeWithServices('alert delivery', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let redis: Redis;
  let n = 0;
  const run = `dlv${Date.now()}`;
  /** A fresh key prefix and alert id per test, so tests share nothing in Redis. */
  const fresh = () => {
    n += 1;
    return { keyPrefix: `${run}-${n}:`, bucket: `bucket-${n}` };
  };

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await teams?.stop();
    await slack?.stop();
    redis?.disconnect();
  });

  // A client that waits out 429 inside the call: what a long-held lock must survive (a slow Teams card is the same).
  const slackNotifier = () => new SlackNotifier({ token: 'xoxb-delivery', channel: 'C0ALERTS', apiUrl: slack.apiUrl, purpose: 'interactive', retryConfig: RETRY });
  const deps = (store: AlertStore, extra: Partial<DeliverDeps> = {}): DeliverDeps => ({ outbox: store.outbox('slack'), notifier: slackNotifier(), message, logger, ...extra });
  const payload = (c: RecordedCall) => (c.body.metadata as { event_payload: { alert_id: string; version: number } }).event_payload;
  const callsFor = (id: string) => slack.calls.filter((c) => c.method.startsWith('chat.') && (c.body.metadata as { event_payload?: { alert_id?: string } } | undefined)?.event_payload?.alert_id === id);

  describe('the delivery lock', () => {
    it('stays with a holder whose work outlasts its TTL, and a holder that lost it is told', async () => {
      const key = `${run}:lock-helper`;
      const held = await acquireLock(redis, key, { ttlMs: 600 });
      expect(held).not.toBeNull();
      // Three TTLs later, nobody else could take it in between.
      for (let i = 0; i < 9; i += 1) {
        // Time passing is the point: the TTL runs out three times over.
        await elapse(200);
        expect(await acquireLock(redis, key, { ttlMs: 600 })).toBeNull();
      }
      expect(held!.signal.aborted).toBe(false);
      // Another holder has it now (as after an expiry): the renewal sees it and aborts.
      await redis.set(key, 'someone-else', 'PX', 10_000);
      await waitFor(() => held!.signal.aborted, undefined, { timeoutMs: 5_000 });
      expect(held!.signal.reason).toBeInstanceOf(LockLostError);
      expect(() => held!.assertHeld()).toThrow(LockLostError);
      await held!.release();
      // Its release leaves the other holder's lock alone.
      expect(await redis.get(key)).toBe('someone-else');
    });

    it('Slack: a holder waiting out 429 Retry-After past the TTL keeps the alert; a second deliverer does not post meanwhile', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix });
      const id = await commitEvents(store, bucket, ['fired']);
      // Two 429s with Retry-After 1 s: the holder's post takes over 2 s, the lock's TTL is 0.6 s.
      slack.rateLimit('chat.postMessage', 1, 2);
      const holder = deliverAlert(deps(store, { lockMs: 600 }), id);
      let busy = 0;
      const started = Date.now();
      while (Date.now() - started < 1_800) {
        await expect(deliverAlert(deps(store, { lockMs: 600 }), id)).rejects.toBeInstanceOf(DeliveryBusyError);
        busy += 1;
        // Tries spaced over the holder's whole hold: each must find it busy.
        await elapse(150);
      }
      expect(await holder).toBe(1);
      expect(busy).toBeGreaterThan(3);
      // The two 429s and the post that went through; nothing from the second deliverer.
      expect(callsFor(id).map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.postMessage']);
      expect(await store.outbox('slack').pendingIds()).not.toContain(id);
      expect(await deliverAlert(deps(store, { lockMs: 600 }), id)).toBe(0);
      expect(callsFor(id)).toHaveLength(3);
    });

    it('Slack: a holder that lost the lock stops before posting', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix });
      const id = await commitEvents(store, bucket, ['fired']);
      slack.rateLimit('chat.postMessage', 1, 1);
      const holder = deliverAlert(deps(store, { lockMs: 600 }), id);
      await waitFor(() => callsFor(id).length === 1, undefined, { timeoutMs: 5_000 });
      // While the holder waits out the 429, another process takes the alert over.
      await redis.set(`${keyPrefix}alerts:outbox:slack:lock:${id}`, 'another-worker', 'PX', 30_000);
      await expect(holder).rejects.toBeInstanceOf(LockLostError);
      // Its retry never went out: only the 429'd attempt reached Slack, and the event is still pending.
      // (Asserts an absence: only a wait can show it.)
      await elapse(500);
      expect(callsFor(id)).toHaveLength(1);
      expect(await store.outbox('slack').pendingIds()).toContain(id);
    });

    it('Teams: a holder whose card takes longer than the TTL keeps the alert; a second sender sends nothing meanwhile', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix, destinations: ['slack', 'teams'] });
      const outbox = store.outbox('teams');
      const [event] = events(bucket, ['fired']);
      expect(await store.commit([{ expectedVersion: 0, state: event!.state, events: [event!] }])).toBe('ok');
      const before = teams.arrived.length;
      const teamsDeps = { outbox, webhook: new TeamsWebhook({ url: teams.url('c2lnbmF0dXJl') }), message, logger, lockMs: 600 };
      teams.hold();
      const holder = deliverTeamsAlert(teamsDeps, event!.state.id);
      await waitFor(() => teams.arrived.length > before, undefined, { timeoutMs: 5_000 });
      const started = Date.now();
      let busy = 0;
      while (Date.now() - started < 1_800) {
        await expect(deliverTeamsAlert(teamsDeps, event!.state.id)).rejects.toBeInstanceOf(DeliveryBusyError);
        busy += 1;
        // Tries spaced over the holder's whole hold: each must find it busy.
        await elapse(150);
      }
      teams.release();
      expect(await holder).toBe(1);
      expect(busy).toBeGreaterThan(3);
      expect(teams.arrived.length - before).toBe(1);
      expect(await deliverTeamsAlert(teamsDeps, event!.state.id)).toBe(0);
      expect(teams.arrived.length - before).toBe(1);
    });
  });

  it('records each step as done: a delivery that fails after its thread reply is retried without a second reply', async () => {
    const { keyPrefix, bucket } = fresh();
    // The acknowledgement of version 2 fails once, after its edit and reply went out (Redis blinked, the process died).
    class AckFailsOnce extends AlertOutbox {
      failed = false;
      override async delivered(alertId: string, version: number): Promise<void> {
        if (version === 2 && !this.failed) {
          this.failed = true;
          throw new Error('Redis connection lost');
        }
        return super.delivered(alertId, version);
      }
    }
    const store = new AlertStore(redis, { keyPrefix });
    const outbox = new AckFailsOnce(redis, `${keyPrefix}alerts:`, 'slack');
    const id = await commitEvents(store, bucket, ['fired', 'resolved']);
    await expect(deliverAlert(deps(store, { outbox }), id)).rejects.toThrow('Redis connection lost');
    expect(await deliverAlert(deps(store, { outbox }), id)).toBe(1);
    const calls = callsFor(id).map((c) => `${c.method}${c.body.thread_ts ? ' (thread)' : ''}@${payload(c).version}`);
    expect(calls).toEqual(['chat.postMessage@1', 'chat.update@2', 'chat.postMessage (thread)@2']);
    expect(await store.outbox('slack').pendingIds()).not.toContain(id);
  });

  it('revives a delivery whose job failed for good: the next sweep queues it again and it is posted once', async () => {
    const { keyPrefix, bucket } = fresh();
    const store = new AlertStore(redis, { keyPrefix });
    const prefix = `${run}q${n}`;
    const notify = new Queue(NOTIFY_QUEUE, { connection: redis, prefix });
    const processorDeps = {
      evaluate: { store, logger },
      deliver: deps(store),
      queues: { notify },
    } as unknown as AlertProcessorDeps;
    let slackDownForGood = true;
    const outcomes: string[] = [];
    const worker = new Worker(
      NOTIFY_QUEUE,
      async (job: Job<DeliverData>) => {
        // The last attempt's failure: BullMQ keeps the failed job, and with it its id.
        if (slackDownForGood) throw new UnrecoverableError('Slack kept failing');
        return processDeliver(processorDeps, job);
      },
      { connection: redis, prefix },
    );
    worker.on('failed', () => outcomes.push('failed'));
    worker.on('completed', () => outcomes.push('completed'));
    try {
      const id = await commitEvents(store, bucket, ['fired'], (evs) => enqueueAlertEvents({ notify }, evs, logger));
      await waitFor(() => outcomes.includes('failed'), undefined, { timeoutMs: 10_000 });
      const jobId = (await notify.getJobs(['failed']))[0]!.id!;
      slackDownForGood = false;
      // Re-adding under the same id alone does nothing: the failed job holds it.
      await enqueueAlertEvents({ notify }, [(await store.outbox('slack').next(id))!], logger);
      expect(await notify.getJobState(jobId)).toBe('failed');
      expect(await relayPending(processorDeps)).toEqual({ revived: 1 });
      await waitFor(() => outcomes.includes('completed'), undefined, { timeoutMs: 10_000 });
      expect(await notify.getJobState(jobId)).toBe('completed');
      expect(callsFor(id).map((c) => c.method)).toEqual(['chat.postMessage']);
      expect(await store.outbox('slack').pendingIds()).not.toContain(id);
      // A later sweep finds nothing left to revive.
      expect(await relayPending(processorDeps)).toEqual({ revived: 0 });
    } finally {
      await worker.close();
      await notify.obliterate({ force: true });
      await notify.close();
    }
  });

  it('paces every Slack call of a burst per channel across deliverers: edits and thread lines each take a slot', async () => {
    const { keyPrefix, bucket } = fresh();
    const store = new AlertStore(redis, { keyPrefix });
    const perSecond = 5;
    const pace = () => new PacedNotifier(slackNotifier(), new RedisPacer(redis, `${keyPrefix}pace:C0ALERTS`, perSecond));
    // Four alerts that fire and resolve: 4 posts, 4 edits, 4 thread lines, from two deliverers.
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await commitEvents(store, `${bucket}-${i}`, ['fired', 'resolved']));
    const first = slack.calls.length;
    const deliverers = [pace(), pace()];
    await Promise.all(ids.map((id, i) => deliverAlert(deps(store, { notifier: deliverers[i % 2]! }), id)));
    const calls = slack.calls.slice(first).filter((c) => ids.includes(payload(c).alert_id));
    expect(calls).toHaveLength(12);
    // In order for each alert: the post, then its edit, then its thread line.
    for (const id of ids) {
      expect(calls.filter((c) => payload(c).alert_id === id).map((c) => `${c.method}${c.body.thread_ts ? ' (thread)' : ''}@${payload(c).version}`)).toEqual([
        'chat.postMessage@1',
        'chat.update@2',
        'chat.postMessage (thread)@2',
      ]);
    }
    // Never more than the rate (plus one for a window's edges and jitter) in any second; unpaced, all twelve land at once.
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(perSecond + 1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((times.length - 1) * 1_000) / perSecond - 400);
  });

  /** Commits one change per kind (versions 1..n, one episode) and returns the alert id. */
  async function commitEvents(store: AlertStore, bucket: string, kinds: AlertEventKind[], enqueue?: (events: AlertEvent[]) => Promise<void>): Promise<string> {
    const list = events(bucket, kinds);
    for (const event of list) {
      expect(await store.commit([{ expectedVersion: event.version - 1, state: event.state, events: [event] }])).toBe('ok');
      await enqueue?.([event]);
    }
    return list[0]!.state.id;
  }
}, ['redis']);

/** Events of one alert, one per kind, versions from 1, as the state machine would produce them. */
function events(bucket: string, kinds: AlertEventKind[]): AlertEvent[] {
  const at = new Date('2026-03-02T10:00:00Z');
  const base = initialState({ rule: 'server-errors', bucket }, 'critical', at);
  return kinds.map((kind, i) => {
    const state: AlertState = {
      ...base,
      status: kind === 'resolved' ? 'resolved' : 'firing',
      version: i + 1,
      episode: 1,
      since: at.toISOString(),
      resolvedAt: kind === 'resolved' ? at.toISOString() : null,
      value: 12,
      threshold: 10,
      finding: { rule: 'server-errors', count: 12, threshold: 10, periodMinutes: 5, periods: 1 },
      recent: [1, 12],
    };
    return { kind, version: i + 1, at: at.toISOString(), state };
  });
}

