// Three worker OS processes share one (private) Redis over 30+ one-second ticks while seeded 5xx
// errors cross and recross the server-errors threshold; Redis is stopped and started mid-run, the
// Slack front answers some calls 429 and some 500, and a Teams webhook (429, then 500, at first)
// gets every change as a card of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertStore } from '../../../src/alerts/store.js';
import { ALERTS_QUEUE, EVALUATE_JOB, TICK_JOB, type EvaluateData, type TickData } from '../../../src/jobs/queues.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { alertCardKey, startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startFlakySlack, type FlakySlack } from './flaky-slack.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { elapse, waitFor } from '../../helpers/wait.js';

const CHILD = new URL('./worker-child.ts', import.meta.url).pathname;
const PERIOD_MS = 300_000;
const TICKS = 34;
/** Breaching 5-minute periods (index from T0) of each bucket: the threshold is crossed and recrossed. */
const BREACHING: Record<'a' | 'b', [number, number][]> = {
  a: [[2, 7], [12, 16], [22, 27]],
  b: [[5, 10], [17, 21]],
};

interface LogLine {
  msg: string;
  /** Which of the three processes wrote it (added here, from the pipe it came through). */
  child: number;
  jobId?: string;
  metricsPort?: number | null;
  slot?: string;
  chunk?: number;
  alert?: string;
  version?: number;
  kind?: string;
}

describeWithServices('three worker processes on one Redis', () => {
  let redis: PrivateRedis;
  let slack: FakeSlack;
  let flaky: FlakySlack;
  let teams: FakeTeams;
  const children: ChildProcess[] = [];
  /** Whether each child was still running when it was told to stop, and how it ended. */
  const aliveAtStop: boolean[] = [];
  const exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
  /** Each child's `/metrics`, scraped just before it was stopped. */
  const scraped: string[] = [];
  /** Every job the alerts queue holds at the end (BullMQ keeps finished ones a day). */
  let alertJobs: { name: string; data: TickData | EvaluateData; completed: boolean }[] = [];
  const lines: LogLine[] = [];
  const buckets = { a: uniqueBucketName('mp-a'), b: uniqueBucketName('mp-b') };
  const keyPrefix = `mp-${Date.now()}:`;
  let finalStates: Awaited<ReturnType<AlertStore['list']>> = [];
  let pendingAfter: string[] = [];
  let teamsPendingAfter: string[] = [];
  let simT0 = 0;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    flaky = await startFlakySlack(slack.apiUrl, { rateLimitEvery: 5, errorEvery: 7 });
    teams = await startFakeTeams();
    teams.answerNext({ status: 429, retryAfterSeconds: 1 }, { status: 500 });

    simT0 = Math.floor((Date.now() - 4 * 3_600_000) / PERIOD_MS) * PERIOD_MS;
    for (const [key, name] of Object.entries(buckets) as ['a' | 'b', string][]) {
      await createBucket(name, { metricsConfigIds: ['EntireBucket'] });
      const points: RequestMetricsPoint[] = [];
      for (let period = 0; period < TICKS + 4; period += 1) {
        const breaching = BREACHING[key].some(([from, to]) => period >= from && period <= to);
        for (let minute = 0; minute < 5; minute += 1) {
          points.push({ at: new Date(simT0 + period * PERIOD_MS + minute * 60_000), AllRequests: 1000, '5xxErrors': breaching ? 3 : 0, '4xxErrors': 0 });
        }
      }
      // Small batches: moto's form parser refuses large PutMetricData bodies.
      for (let i = 0; i < points.length; i += 8) await putRequestMetrics(name, 'EntireBucket', points.slice(i, i + 8));
    }

    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-mp-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(
      configFile,
      [
        'buckets:',
        `  - name: ${buckets.a}`,
        `  - name: ${buckets.b}`,
        'channels:',
        '  alerts: C0ALERTS',
        'alerts:',
        '  messagesPerSecond: 20',
        '  thresholds:',
        '    error-rate: false',
        '    latency: false',
        '    config-change: false',
        '',
      ].join('\n'),
    );
    // Slot k (seconds after start) judges the data as of T0 + k periods.
    const simStart = Math.ceil(Date.now() / 1000) * 1000;
    const env = {
      ...process.env,
      ...awsTestEnv(),
      CONFIG_FILE: configFile,
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: flaky.apiUrl,
      TEAMS_WEBHOOK_URL: teams.url('bXVsdGktcHJvY2Vzcy1zaWduYXR1cmU'),
      LOG_LEVEL: 'info',
      // The configuration refuses ticks under a minute; the test's workers tick every second through the test's own source.
      TEST_TICK_CRON: '* * * * * *',
      TEST_SIM_START_MS: String(simStart),
      TEST_SIM_T0_MS: String(simT0),
      TEST_QUEUE_PREFIX: `mp${Date.now()}`,
      TEST_KEY_PREFIX: keyPrefix,
    };
    const spawnWorker = (index: number, extraEnv: Record<string, string> = {}) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          try {
            lines.push({ ...(JSON.parse(part) as LogLine), child: index });
          } catch {
            // not a log line
          }
        }
      });
      child.stderr!.on('data', () => undefined);
      return child;
    };
    for (let i = 0; i < 3; i += 1) children.push(spawnWorker(i));

    // Half way through, Redis goes away for two seconds and comes back with what it had: the
    // workers tick on the clock, so these are spans of time, not waits for something.
    await elapse((TICKS / 2) * 1000);
    await redis.stop();
    await elapse(2_000);
    await redis.start();
    await elapse((TICKS / 2) * 1000);
    for (const [i, child] of children.entries()) {
      aliveAtStop.push(child.exitCode === null && child.signalCode === null);
      const port = lines.find((l) => l.child === i && l.msg === 'worker started')?.metricsPort;
      scraped.push(port ? await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '') : '');
    }
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('exit', (code, signal) => (exits.push({ code, signal }), resolve()));
            c.kill('SIGTERM');
          }),
      ),
    );

    // What is still queued (deliveries, Teams cards) finishes with one fresh worker that ticks no more.
    const conn = new Redis(redis.url);
    const store = new AlertStore(conn, { keyPrefix });
    const drain = spawnWorker(3, { TEST_NO_TICKS: '1' });
    const undelivered = async () => (await store.outbox('slack').pendingIds()).length + (await store.outbox('teams').pendingIds()).length;
    await waitFor(async () => (await undelivered()) === 0, undefined, { timeoutMs: 60_000, intervalMs: 500, message: 'deliveries still queued' });
    // A little longer: a duplicate, if there were one, would arrive now (an absence only a wait shows).
    await elapse(1_500);
    drain.kill('SIGTERM');
    await new Promise((r) => (drain.exitCode !== null ? r(null) : drain.once('exit', r)));
    pendingAfter = await store.outbox('slack').pendingIds();
    teamsPendingAfter = await store.outbox('teams').pendingIds();
    finalStates = (await store.list()).filter((s) => s.rule === 'server-errors');
    const alertsQueue = new Queue(ALERTS_QUEUE, { connection: conn, prefix: env.TEST_QUEUE_PREFIX });
    alertJobs = (await alertsQueue.getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'paused'])).map((j) => ({ name: j.name, data: j.data as TickData | EvaluateData, completed: j.finishedOn !== undefined && !j.failedReason }));
    await alertsQueue.close();
    conn.disconnect();
  }, 240_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await teams?.stop();
    await flaky?.stop();
    await slack?.stop();
    await redis?.destroy();
  });

  // The three workers' lines and the draining worker's (it may run an evaluation left queued).
  const evaluated = () => lines.filter((l) => l.msg === 'tick evaluated');
  const events = () => lines.filter((l) => l.msg === 'alert event' && l.alert?.startsWith('server-errors'));
  const meta = (call: RecordedCall) => (call.body.metadata as { event_payload?: { alert_id: string; version: number; kind: string } } | undefined)?.event_payload;
  const mainCalls = () => slack.calls.filter((c) => (c.method === 'chat.postMessage' && !c.body.thread_ts) || c.method === 'chat.update').filter((c) => meta(c));

  it('keeps all three processes alive to the end, each taking work, and each stops cleanly on SIGTERM', () => {
    expect(aliveAtStop).toEqual([true, true, true]);
    expect(exits).toEqual([0, 1, 2].map(() => ({ code: 0, signal: null })));
    for (let i = 0; i < 3; i += 1) {
      const jobs = new Set(lines.filter((l) => l.child === i && l.jobId).map((l) => l.jobId));
      expect(jobs.size, `jobs run by process ${i}`).toBeGreaterThan(0);
    }
  });

  it('evaluates at least 20 ticks, none twice, across the three processes', () => {
    const slots = evaluated().map((l) => `${l.slot}#${l.chunk}`);
    expect(slots.length).toBeGreaterThanOrEqual(20);
    expect(new Set(slots).size).toBe(slots.length);
    // What the job ids decide, not the slot marker: every process enqueued every tick, and the
    // queue holds one tick job and one evaluation job per slot (and chunk).
    const perSlot = (name: string, key: (d: TickData | EvaluateData) => string) => {
      const counts = new Map<string, number>();
      for (const job of alertJobs.filter((j) => j.name === name)) counts.set(key(job.data), (counts.get(key(job.data)) ?? 0) + 1);
      return counts;
    };
    const ticks = perSlot(TICK_JOB, (d) => d.slot);
    const evaluations = perSlot(EVALUATE_JOB, (d) => `${d.slot}#${(d as EvaluateData).chunk}`);
    expect(ticks.size).toBeGreaterThanOrEqual(20);
    expect([...ticks.values()].every((n) => n === 1)).toBe(true);
    // A tick job still waiting when the processes stopped has queued no evaluation yet: every
    // completed tick has its evaluations.
    const completedTicks = new Set(alertJobs.filter((j) => j.name === TICK_JOB && j.completed).map((j) => j.data.slot));
    expect(completedTicks.size).toBeGreaterThanOrEqual(20);
    expect(evaluations.size).toBeGreaterThanOrEqual(completedTicks.size);
    expect([...evaluations.values()].every((n) => n === 1)).toBe(true);
    // And each evaluation job ran once: the three processes' successful runs add up to the jobs,
    // give or take two around the Redis restart (a run that logged its evaluation but whose
    // completion the restart failed counts as a failure; its retry finds the slot applied).
    const runs = scraped.map((text) => sampleOf(text, 's3chatops_job_duration_seconds_count', { job: EVALUATE_JOB, outcome: 'success' }));
    expect(runs.every((n) => n > 0)).toBe(true);
    const total = runs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(evaluated().filter((l) => l.child < 3).length - 2);
    expect(total).toBeLessThanOrEqual(evaluations.size + 2);
  });

  it('crosses and recrosses the threshold: several firings and resolutions per bucket', () => {
    const kinds = (bucket: string) => events().filter((e) => e.alert === `server-errors:${bucket}`).map((e) => e.kind);
    expect(kinds(buckets.a).filter((k) => k === 'fired').length).toBeGreaterThanOrEqual(2);
    expect(kinds(buckets.a).filter((k) => k === 'resolved').length).toBeGreaterThanOrEqual(2);
    expect(kinds(buckets.b)).toContain('fired');
    expect(kinds(buckets.b)).toContain('resolved');
  });

  it('loses no change across the Redis restart: every alert\'s versions run 1..n with nothing left undelivered', () => {
    expect(pendingAfter).toEqual([]);
    for (const state of finalStates) {
      const versions = events().filter((e) => e.alert === state.id).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: state.version }, (_, i) => i + 1));
    }
  });

  it('posts or edits exactly once per change, in order for each alert, despite 429s and 500s', () => {
    expect(flaky.answered.rateLimited).toBeGreaterThan(0);
    expect(flaky.answered.serverError).toBeGreaterThan(0);
    const expected = events().map((e) => `${e.alert}@${e.version}`).sort();
    const delivered = mainCalls().map((c) => `${meta(c)!.alert_id}@${meta(c)!.version}`);
    expect([...delivered].sort()).toEqual(expected);
    for (const state of finalStates) {
      const order = mainCalls().filter((c) => meta(c)!.alert_id === state.id).map((c) => meta(c)!.version);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    // A new firing posts a message; every other change edits it.
    for (const call of mainCalls()) expect(call.method).toBe(meta(call)!.kind === 'fired' ? 'chat.postMessage' : 'chat.update');
  });

  it('adds exactly one thread line per change after the first post, in order for each alert', () => {
    const replies = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts && meta(c));
    const expected = events().filter((e) => e.kind !== 'fired').map((e) => `${e.alert}@${e.version}`).sort();
    expect(replies.map((c) => `${meta(c)!.alert_id}@${meta(c)!.version}`).sort()).toEqual(expected);
    for (const state of finalStates) {
      const order = replies.filter((c) => meta(c)!.alert_id === state.id).map((c) => meta(c)!.version);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });

  it('sends every change to Teams exactly once, in order for each alert, across the processes and the Redis restart', () => {
    expect(teams.received.slice(0, 2).map((r) => r.status)).toEqual([429, 500]);
    expect(teamsPendingAfter).toEqual([]);
    const cards = teams.accepted.map(alertCardKey).filter((k) => k.startsWith('server-errors'));
    expect([...cards].sort()).toEqual(events().map((e) => `${e.alert}@${e.version}`).sort());
    for (const state of finalStates) {
      const order = cards.filter((k) => k.startsWith(`${state.id}@`)).map((k) => Number(k.split('@')[1]));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
}, ['moto', 'redis']);

/** The value of one Prometheus sample whose labels include `labels` (0 when absent). */
function sampleOf(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

