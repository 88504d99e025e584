// An upgrade over Redis left by the earlier release, whose Slack and Teams outboxes had two layouts:
// every change waiting there, every step already done and every message already posted carries
// over, so each change reaches Slack and Teams exactly once, and a change committed after the
// upgrade still comes after the ones that waited. Real Redis, the fake Slack Web API, the fake
// Teams webhook.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upgradeLegacyOutboxes } from '../../../src/alerts/outbox-upgrade.js';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent, AlertEventKind, AlertState } from '../../../src/alerts/types.js';
import { relayPending, type AlertProcessorDeps } from '../../../src/jobs/alert-processors.js';
import { deliverJobId, NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { deliverAlert } from '../../../src/notify/deliver.js';
import { SlackNotifier } from '../../../src/notify/slack.js';
import { deliverTeamsAlert } from '../../../src/notify/teams-delivery.js';
import { TeamsWebhook } from '../../../src/notify/teams-webhook.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { alertCardKey, startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

const logger = silentLogger();
const message = { region: 'us-east-1' };
const AT = new Date('2026-03-02T10:00:00Z');

describeWithServices('the outboxes of the earlier release, after an upgrade', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let redis: Redis;
  const keyPrefix = `upg${Date.now()}:`;
  const a = `${keyPrefix}alerts:`;
  const t = `${keyPrefix}teams:`;

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
    await teams?.stop();
    await slack?.stop();
  });

  const payload = (c: RecordedCall) => (c.body.metadata as { event_payload?: { alert_id?: string; version?: number } } | undefined)?.event_payload;
  const slackCalls = (id: string) =>
    slack.calls.filter((c) => c.method.startsWith('chat.') && payload(c)?.alert_id === id).map((c) => `${c.method}${c.body.thread_ts ? ' (thread)' : ''}@${payload(c)?.version}`);
  const cards = (id: string) => teams.accepted.map(alertCardKey).filter((k) => k.startsWith(`${id}@`));

  it('delivers what waited in either old outbox once, resumes half-done steps, and keeps each change in order', async () => {
    const [editedA, acknowledgedA] = events('bucket-a', ['resolved', 'acknowledged'], 2);
    const [firedB] = events('bucket-b', ['fired']);
    const [firedC] = events('bucket-c', ['fired']);
    const [firedD] = events('bucket-d', ['fired']);
    const [A, B, C, D] = [editedA!, firedB!, firedC!, firedD!].map((e) => e.state.id) as [string, string, string, string];

    // A: its message was posted (episode 1); change 2 waits in Slack's old outbox with its edit done
    // and its thread line not; it went to Teams already.
    await redis.set(`${a}state:${A}`, JSON.stringify(editedA!.state));
    await redis.sadd(`${a}index`, A);
    await redis.hset(`${a}messages:${A}`, '1', JSON.stringify({ channel: 'C0ALERTS', ts: '1772445600.000100' }));
    await redis.rpush(`${a}outbox:${A}`, JSON.stringify(editedA));
    await redis.hset(`${a}delivery:${A}`, '2', '1');
    await redis.sadd(`${t}sent:${A}`, '1', '2');
    // B: waits for Slack; Teams has had it.
    await legacySlackPending(B, firedB!);
    await redis.sadd(`${t}sent:${B}`, '1');
    // C: Slack has had it; it waits in Teams' old outbox.
    await redis.set(`${a}state:${C}`, JSON.stringify(firedC!.state));
    await redis.sadd(`${a}index`, C);
    await redis.zadd(`${t}pending:${C}`, 1, '1');
    await redis.hset(`${t}events:${C}`, '1', JSON.stringify(firedC));
    await redis.sadd(`${t}pending-alerts`, C);
    // D: committed, and the process died before it queued the change for Teams: only Slack's old outbox has it.
    await legacySlackPending(D, firedD!);

    const store = new AlertStore(redis, { keyPrefix, destinations: ['slack', 'teams'] });
    // After the upgrade, a new change of A is committed into the new layout before anything is delivered.
    expect(await store.commit([{ expectedVersion: 2, state: acknowledgedA!.state, events: [acknowledgedA!] }])).toBe('ok');

    const slackOutbox = store.outbox('slack');
    const teamsOutbox = store.outbox('teams');
    expect((await slackOutbox.pendingIds()).sort()).toEqual([A, B, D].sort());
    expect((await teamsOutbox.pendingIds()).sort()).toEqual([A, C, D].sort());
    expect((await slackOutbox.next(A))?.version).toBe(2);
    // Nothing is left under the old keys.
    expect(await redis.exists(`${a}outbox:${A}`, `${a}delivery:${A}`, `${a}messages:${A}`, `${a}outbox:${B}`, `${a}outbox:${D}`, `${t}pending:${C}`, `${t}events:${C}`)).toBe(0);
    expect(await redis.scard(`${a}pending`)).toBe(0);
    expect(await redis.scard(`${t}pending-alerts`)).toBe(0);

    const notifier = new SlackNotifier({ token: 'xoxb-upgrade', channel: 'C0ALERTS', apiUrl: slack.apiUrl, purpose: 'interactive', retryConfig: { retries: 0 } });
    const teamsDeps = { outbox: teamsOutbox, webhook: new TeamsWebhook({ url: teams.url('dXBncmFkZQ') }), message, logger };
    const deliverAll = async () => {
      for (const id of await slackOutbox.pendingIds()) await deliverAlert({ outbox: slackOutbox, notifier, message, logger }, id);
      for (const id of await teamsOutbox.pendingIds()) await deliverTeamsAlert(teamsDeps, id);
    };
    await deliverAll();

    // A: the thread line of change 2 (its edit went out before the upgrade), then change 3's edit and line, on the message posted before.
    expect(slackCalls(A)).toEqual(['chat.postMessage (thread)@2', 'chat.update@3', 'chat.postMessage (thread)@3']);
    expect(slack.calls.filter((c) => c.method === 'chat.update' && payload(c)?.alert_id === A).map((c) => c.body.ts)).toEqual(['1772445600.000100']);
    expect(cards(A)).toEqual([`${A}@3`]);
    expect(slackCalls(B)).toEqual(['chat.postMessage@1']);
    expect(cards(B)).toEqual([]);
    expect(slackCalls(C)).toEqual([]);
    expect(cards(C)).toEqual([`${C}@1`]);
    expect(slackCalls(D)).toEqual(['chat.postMessage@1']);
    expect(cards(D)).toEqual([`${D}@1`]);

    // Another worker's upgrade, or a second run, finds nothing to move, and nothing goes out again.
    expect(await upgradeLegacyOutboxes(redis, { keyPrefix, destinations: ['slack', 'teams'] })).toBe(0);
    await deliverAll();
    expect(await slackOutbox.pendingIds()).toEqual([]);
    expect(await teamsOutbox.pendingIds()).toEqual([]);
    expect([A, B, C, D].map((id) => slackCalls(id).length)).toEqual([3, 1, 0, 1]);
    expect([A, B, C, D].map((id) => cards(id).length)).toEqual([1, 0, 1, 1]);
  });

  it('leaves the Teams outbox alone when Teams is not a destination, yet moves what waited there', async () => {
    const prefix = `${keyPrefix}solo:`;
    const [fired] = events('bucket-e', ['fired']);
    const id = fired!.state.id;
    await redis.set(`${prefix}alerts:state:${id}`, JSON.stringify(fired!.state));
    await redis.sadd(`${prefix}alerts:index`, id);
    await redis.rpush(`${prefix}alerts:outbox:${id}`, JSON.stringify(fired));
    await redis.sadd(`${prefix}alerts:pending`, id);
    const store = new AlertStore(redis, { keyPrefix: prefix });
    expect(await store.outbox('slack').pendingIds()).toEqual([id]);
    expect(await store.outbox('teams').pendingIds()).toEqual([]);
  });

  it('moves, on every tick\'s sweep, a change that a bot of the earlier release queued after the upgrade, and queues its delivery', async () => {
    const prefix = `${keyPrefix}late:`;
    const store = new AlertStore(redis, { keyPrefix: prefix });
    // The first read upgraded an empty Redis.
    expect(await store.outbox('slack').pendingIds()).toEqual([]);
    const [fired] = events('bucket-f', ['fired']);
    const id = fired!.state.id;
    // A Snooze pressed on a bot of the earlier release, still running: its commit writes the old layout.
    await redis.set(`${prefix}alerts:state:${id}`, JSON.stringify(fired!.state));
    await redis.sadd(`${prefix}alerts:index`, id);
    await redis.rpush(`${prefix}alerts:outbox:${id}`, JSON.stringify(fired));
    await redis.sadd(`${prefix}alerts:pending`, id);
    const notify = new Queue(NOTIFY_QUEUE, { connection: redis, prefix: `${prefix}q` });
    try {
      const deps = { evaluate: { store, logger }, deliver: { outbox: store.outbox('slack') }, queues: { notify } } as unknown as AlertProcessorDeps;
      await relayPending(deps);
      expect(await store.outbox('slack').pendingIds()).toEqual([id]);
      expect(await redis.exists(`${prefix}alerts:outbox:${id}`)).toBe(0);
      expect(await notify.getJob(deliverJobId(id, 1))).toBeDefined();
    } finally {
      await notify.obliterate({ force: true });
      await notify.close();
    }
  });

  /** A change the earlier release committed and had not delivered to Slack. */
  async function legacySlackPending(id: string, event: AlertEvent): Promise<void> {
    await redis.set(`${a}state:${id}`, JSON.stringify(event.state));
    await redis.sadd(`${a}index`, id);
    await redis.rpush(`${a}outbox:${id}`, JSON.stringify(event));
    await redis.sadd(`${a}pending`, id);
  }
}, ['redis']);

/** Changes of one alert in one episode, one per kind, versions from `first`. */
function events(bucket: string, kinds: AlertEventKind[], first = 1): AlertEvent[] {
  const base = initialState({ rule: 'server-errors', bucket }, 'critical', AT);
  return kinds.map((kind, i) => {
    const state: AlertState = {
      ...base,
      status: kind === 'resolved' ? 'resolved' : 'firing',
      version: first + i,
      episode: 1,
      since: AT.toISOString(),
      resolvedAt: kind === 'resolved' ? AT.toISOString() : null,
      value: 12,
      threshold: 10,
      finding: { rule: 'server-errors', count: 12, threshold: 10, periodMinutes: 5, periods: 1 },
      recent: [1, 12],
    };
    return { kind, version: first + i, at: AT.toISOString(), state };
  });
}
