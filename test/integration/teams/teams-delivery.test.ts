// Alerts and the digest reaching Teams through the real worker: three in-process workers on one
// Redis evaluate seeded 5xx data that crosses and recrosses the server-errors threshold, Slack is
// the local fake Web API, and Teams a local fake webhook that answers 429 + Retry-After, then 500.
// A second run holds every Teams request unanswered and shows Slack is delivered regardless.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertStore } from '../../../src/alerts/store.js';
import { loadConfig } from '../../../src/config/load.js';
import { secretValues } from '../../../src/config/redact.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { TickSource } from '../../../src/jobs/tick-source.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { alertCardKey, startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { elapse, waitFor } from '../../helpers/wait.js';

const PERIOD_MS = 300_000;
const TICKS = 16;
const BREACHING: [number, number][] = [[2, 5], [9, 12]];
const SIG = 'c2VjcmV0LXNpZ25hdHVyZS1vZi10aGUtdGVhbXMtd29ya2Zsb3c';

interface LogLine {
  msg: string;
  alert?: string;
  version?: number;
  kind?: string;
}

/** A tick source every worker shares: `fire` ticks all of them with one slot, as cron does. */
function manualTicks(): { source: TickSource; fire(slot: Date): void } {
  const listeners = new Set<(slot: Date) => void>();
  return {
    source: (onTick) => {
      listeners.add(onTick);
      return { stop: () => listeners.delete(onTick) };
    },
    fire: (slot) => listeners.forEach((l) => l(slot)),
  };
}

const noTicks: TickSource = () => ({ stop: () => undefined });

describeWithServices('alerts to Teams through the worker', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  const bucket = uniqueBucketName('teams-5xx');
  let simT0 = 0;
  let configFile = '';

  beforeAll(async () => {
    // The workers run in this process, and the AWS SDK reads its credentials from process.env.
    Object.assign(process.env, awsTestEnv());
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    simT0 = Math.floor((Date.now() - 4 * 3_600_000) / PERIOD_MS) * PERIOD_MS;
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    const points: RequestMetricsPoint[] = [];
    for (let period = 0; period < TICKS + 4; period += 1) {
      const breaching = BREACHING.some(([from, to]) => period >= from && period <= to);
      for (let minute = 0; minute < 5; minute += 1) {
        points.push({ at: new Date(simT0 + period * PERIOD_MS + minute * 60_000), AllRequests: 1000, '5xxErrors': breaching ? 3 : 0, '4xxErrors': 0 });
      }
    }
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-teams-'));
    configFile = join(dir, 's3-chatops.yml');
    writeFileSync(
      configFile,
      ['buckets:', `  - name: ${bucket}`, 'channels:', '  alerts: C0ALERTS', 'alerts:', '  messagesPerSecond: 20', '  thresholds:', '    error-rate: false', '    latency: false', '    config-change: false', ''].join('\n'),
    );
  }, 120_000);

  afterAll(async () => {
    await teams?.stop();
    await slack?.stop();
  });

  /** Runs `workers` workers through every tick, waits until Slack and (unless `teamsDown`) Teams have everything. */
  async function run(name: string, workers: number, during: { teamsHeld?: boolean } = {}) {
    const env = {
      ...awsTestEnv(),
      CONFIG_FILE: configFile,
      REDIS_URL: redisUrl(),
      SLACK_BOT_TOKEN: 'xoxb-teams-test',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_WEBHOOK_URL: teams.url(SIG),
    };
    const config = await loadConfig({ env, purpose: 'cli' });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: secretValues(env), destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
    const ticks = manualTicks();
    const keyPrefix = `teams-${name}-${Date.now()}:`;
    const queuePrefix = `tq${name}${Date.now()}`;
    const simStart = Math.floor(Date.now() / 1000) * 1000;
    const handles: WorkerHandle[] = [];
    for (let i = 0; i < workers; i += 1) {
      handles.push(
        await startWorker(config, logger, {
          handleSignals: false,
          ticks: ticks.source,
          digestTicks: noTicks,
          queuePrefix,
          keyPrefix,
          serveMetrics: false,
          evaluationTime: (slot) => new Date(simT0 + Math.round((slot.getTime() - simStart) / 1000) * PERIOD_MS),
        }),
      );
    }
    const slackBefore = slack.calls.length;
    const teamsBefore = teams.received.length;
    const arrivedBefore = teams.arrived.length;
    if (during.teamsHeld) teams.hold();
    for (let k = 0; k < TICKS; k += 1) {
      ticks.fire(new Date(simStart + k * 1000));
      // Ticks spaced in real time, as the schedule fires them.
      await elapse(400);
    }
    const conn = new Redis(redisUrl());
    const store = new AlertStore(conn, { keyPrefix });
    const events = () =>
      lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.msg === 'alert event' && l.alert?.startsWith('server-errors')).map((l) => `${l.alert}@${l.version}`);
    await waitFor(async () => (await store.outbox('slack').pendingIds()).length === 0, undefined, { timeoutMs: 30_000, intervalMs: 250, message: 'Slack deliveries still pending' });
    const slackPendingAfter = await store.outbox('slack').pendingIds();
    // Requests that reached Teams (and hang there) and ones Teams answered, while held.
    const held = { arrived: teams.arrived.slice(arrivedBefore).map((a) => a.at), answered: teams.received.length - teamsBefore };
    if (during.teamsHeld) teams.release();
    const cards = () => teams.accepted.slice(0).filter((r) => teams.received.indexOf(r) >= teamsBefore).map(alertCardKey);
    await waitFor(() => cards().length >= events().length, undefined, { timeoutMs: 60_000, intervalMs: 250, message: 'Teams cards still missing' });
    // A little longer: a duplicate, if there were one, would arrive now (an absence only a wait shows).
    await elapse(1_500);
    await Promise.all(handles.map((h) => h.stop()));
    conn.disconnect();
    const slackMain = slack.calls.slice(slackBefore).filter((c) => (c.method === 'chat.postMessage' && !c.body.thread_ts) || c.method === 'chat.update').flatMap((c) => (meta(c) ? [`${meta(c)!.alert_id}@${meta(c)!.version}`] : []));
    const slackLastAt = Math.max(...slack.calls.slice(slackBefore).map((c) => c.at));
    return { events: events(), cards: cards(), slackMain, slackPendingAfter, held, slackLastAt, lines, received: teams.received.slice(teamsBefore) };
  }

  it('three workers: every state change reaches Teams exactly once, in order, through a 429 with Retry-After and a 500', async () => {
    teams.answerNext({ status: 429, retryAfterSeconds: 1 }, { status: 500 });
    const r = await run('multi', 3);
    expect(r.events.length).toBeGreaterThanOrEqual(4);
    expect(r.received.slice(0, 2).map((x) => x.status)).toEqual([429, 500]);
    // The request after the 429 waited out its Retry-After (1 s) across all three workers: a lower bound, whatever the load.
    const [limited, next] = r.received;
    expect(next!.arrivedAt - limited!.at).toBeGreaterThanOrEqual(950);
    expect([...r.cards].sort()).toEqual([...r.events].sort());
    const versions = r.cards.map((c) => Number(c.split('@')[1]));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Slack got every change too, once.
    expect([...r.slackMain].sort()).toEqual([...r.events].sort());
    // No log line written while posting holds any part of the webhook's signature.
    expect(r.lines.some((l) => l.includes('Teams'))).toBe(true);
    for (const line of r.lines) for (let i = 0; i + 8 <= SIG.length; i += 4) expect(line).not.toContain(SIG.slice(i, i + 8));
  }, 180_000);

  it('a Teams outage holds no Slack message back, and Teams gets every card once when it is back', async () => {
    const r = await run('outage', 1, { teamsHeld: true });
    expect(r.events.length).toBeGreaterThanOrEqual(4);
    // Every change went to Slack while not one Teams request had been answered.
    expect(r.slackPendingAfter).toEqual([]);
    expect([...r.slackMain].sort()).toEqual([...r.events].sort());
    // Teams was being tried the whole time (its first card reached the webhook before Slack's last
    // call) and answered nothing, while Slack delivered every change.
    expect(r.held.arrived.length).toBeGreaterThan(0);
    expect(r.held.answered).toBe(0);
    expect(Math.min(...r.held.arrived)).toBeLessThan(r.slackLastAt);
    expect([...r.cards].sort()).toEqual([...r.events].sort());
  }, 180_000);
}, ['moto', 'redis']);

function meta(call: RecordedCall) {
  return (call.body.metadata as { event_payload?: { alert_id: string; version: number } } | undefined)?.event_payload;
}

