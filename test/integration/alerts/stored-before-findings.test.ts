// An upgrade with alerts firing: states and queued changes written by the version before findings
// (a worded `text`, no `finding`) are still shown with their line, on `/s3 alerts`, in the Slack
// message and its thread, and on the Teams card; the next verdict keeps the same message and
// stores a finding. Real Redis, the fake Slack Web API and the fake Teams webhook.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildAlerts } from '../../../src/alerts/report.js';
import { applyVerdict } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent, AlertState, Verdict } from '../../../src/alerts/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { renderText } from '../../../src/render/text/index.js';
import { deliverAlert } from '../../../src/notify/deliver.js';
import { SlackNotifier } from '../../../src/notify/slack.js';
import { deliverTeamsAlert } from '../../../src/notify/teams-delivery.js';
import { TeamsWebhook } from '../../../src/notify/teams-webhook.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

const logger = silentLogger();
const message = { region: 'us-east-1' };
const SINCE = '2026-03-02T10:00:00.000Z';
/** The line the earlier version worded and stored. */
const OLD_LINE = '**42** server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)';

/** A firing state exactly as the version before findings wrote it to Redis. */
function oldShapeState(bucket: string): Record<string, unknown> {
  return {
    id: `server-errors:${bucket}`,
    rule: 'server-errors',
    bucket,
    severity: 'critical',
    status: 'firing',
    version: 1,
    episode: 1,
    since: SINCE,
    resolvedAt: null,
    lastNotifiedAt: SINCE,
    snoozedUntil: null,
    snoozedBy: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    value: 42,
    threshold: 5,
    text: OLD_LINE,
    recent: [0, 7, 42],
    lastSlot: SINCE,
    updatedAt: SINCE,
  };
}

/** The store and outbox write whatever JSON they are given: here, the earlier version's. */
const asWritten = <T>(old: unknown): T => old as T;

describeWithServices(
  'alert state written before findings',
  () => {
    let slack: FakeSlack;
    let teams: FakeTeams;
    let redis: Redis;
    let n = 0;
    const run = `old${Date.now()}`;
    const fresh = () => {
      n += 1;
      return { keyPrefix: `${run}-${n}:`, bucket: `bucket-${n}` };
    };
    const notifier = () => new SlackNotifier({ token: 'xoxb-upgrade', channel: 'C0ALERTS', apiUrl: slack.apiUrl, purpose: 'interactive', retryConfig: { retries: 0 } });
    const callsFor = (id: string) => slack.calls.filter((c) => c.method.startsWith('chat.') && (c.body.metadata as { event_payload?: { alert_id?: string } } | undefined)?.event_payload?.alert_id === id);

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

    it('is read with its stored line: /s3 alerts shows it', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix });
      expect(await store.commit([{ expectedVersion: 0, state: asWritten<AlertState>(oldShapeState(bucket)), events: [] }])).toBe('ok');

      const [state] = await store.list();
      expect(state!.finding).toEqual({ rule: 'stored-line', text: OLD_LINE });
      expect(state).not.toHaveProperty('text');
      const shown = renderText(buildAlerts([state!], new Date('2026-03-02T10:30:00Z')).message);
      expect(shown).toContain('server-errors on bucket');
      expect(shown).toContain('42 server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');
    });

    it('changes queued before the upgrade are posted to Slack with their line; the next verdict edits the same message and stores a finding', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix });
      const id = `server-errors:${bucket}`;
      // Fired, then reminded an hour later: both queued, neither delivered, when the upgrade came.
      const v1 = oldShapeState(bucket);
      const v2 = { ...v1, version: 2, lastNotifiedAt: '2026-03-02T11:00:00.000Z', updatedAt: '2026-03-02T11:00:00.000Z' };
      const queued = [
        { kind: 'fired', version: 1, at: SINCE, state: v1 },
        { kind: 'reminder', version: 2, at: '2026-03-02T11:00:00.000Z', state: v2 },
      ];
      expect(await store.commit([{ expectedVersion: 0, state: asWritten<AlertState>(v2), events: asWritten<AlertEvent[]>(queued) }])).toBe('ok');

      expect(await deliverAlert({ outbox: store.outbox('slack'), notifier: notifier(), message, logger }, id)).toBe(2);
      const [post, edit, reply] = callsFor(id);
      expect(post!.method).toBe('chat.postMessage');
      expect(JSON.stringify(post!.body.blocks)).toContain('*42* server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');
      expect(edit!.method).toBe('chat.update');
      expect(String(reply!.body.text)).toBe('Still firing (for 1 h): *42* server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');

      // The first tick after the upgrade: the rule finds 3 errors now, below the threshold, and the alert resolves.
      const [stored] = await store.getStates([id]);
      const verdict: Verdict = {
        status: 'ok',
        value: 3,
        threshold: 5,
        breachingSince: null,
        finding: { rule: 'server-errors', count: 3, threshold: 5, periodMinutes: 5, periods: 2 },
        recent: [7, 42, 3],
        hasData: true,
      };
      const next = applyVerdict(stored!, verdict, { slot: new Date('2026-03-02T11:05:00Z'), now: new Date('2026-03-02T11:05:05Z') }, { repeatMs: 3_600_000, repeats: true });
      expect(next.events.map((e) => e.kind)).toEqual(['resolved']);
      expect(await store.commit([{ expectedVersion: stored!.version, state: next.state, events: next.events }])).toBe('ok');
      // A leftover `text` would be read back as a stored line: the finding shows nothing of the old shape was written.
      const [after] = await store.getStates([id]);
      expect(after!.finding).toEqual({ rule: 'server-errors', count: 3, threshold: 5, periodMinutes: 5, periods: 2 });

      expect(await deliverAlert({ outbox: store.outbox('slack'), notifier: notifier(), message, logger }, id)).toBe(1);
      const [, , , resolvedEdit, resolvedReply] = callsFor(id);
      // One message for the episode: edited in place, and both replies in its thread.
      expect(callsFor(id).map((c) => `${c.method}${c.body.thread_ts ? ' (thread)' : ''}`)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage (thread)', 'chat.update', 'chat.postMessage (thread)']);
      expect(resolvedEdit!.body.ts).toBe(edit!.body.ts);
      expect(resolvedReply!.body.thread_ts).toBe(reply!.body.thread_ts);
      expect(JSON.stringify(resolvedEdit!.body.blocks)).toContain('*3* server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');
      expect(String(resolvedReply!.body.text)).toBe('Resolved after 1 h 5 min: *3* server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');
    });

    it('a change queued for Teams before the upgrade is sent as a card with its line', async () => {
      const { keyPrefix, bucket } = fresh();
      const store = new AlertStore(redis, { keyPrefix, destinations: ['slack', 'teams'] });
      const old = oldShapeState(bucket);
      const fired = { kind: 'fired', version: 1, at: SINCE, state: old };
      expect(await store.commit([{ expectedVersion: 0, state: asWritten<AlertState>(old), events: [asWritten<AlertEvent>(fired)] }])).toBe('ok');
      const before = teams.received.length;

      const sent = await deliverTeamsAlert({ outbox: store.outbox('teams'), webhook: new TeamsWebhook({ url: teams.url('c2lnbmF0dXJl') }), message, logger }, `server-errors:${bucket}`);
      expect(sent).toBe(1);
      const cards = teams.received.slice(before);
      expect(cards).toHaveLength(1);
      expect(JSON.stringify(cards[0]!.body)).toContain('**42** server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)');
    });
  },
  ['redis'],
);
