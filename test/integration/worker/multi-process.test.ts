// Three worker OS processes share one (private) Redis over 30+ one-second ticks while seeded 5xx
// errors cross and recross the server-errors threshold; Redis is stopped and started mid-run and
// the Slack front answers some calls 429 and some 500.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertStore } from '../../../src/alerts/store.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startFlakySlack, type FlakySlack } from './flaky-slack.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';

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
  const children: ChildProcess[] = [];
  const lines: LogLine[] = [];
  const buckets = { a: uniqueBucketName('mp-a'), b: uniqueBucketName('mp-b') };
  const keyPrefix = `mp-${Date.now()}:`;
  let finalStates: Awaited<ReturnType<AlertStore['list']>> = [];
  let pendingAfter: string[] = [];
  let simT0 = 0;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    flaky = await startFlakySlack(slack.apiUrl, { rateLimitEvery: 5, errorEvery: 7 });

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
        'schedules:',
        "  alertEvaluation: '* * * * * *'",
        'alerts:',
        '  messagesPerSecond: 20',
        '  thresholds:',
        '    error-rate: false',
        '    latency: false',
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
      LOG_LEVEL: 'info',
      TEST_SIM_START_MS: String(simStart),
      TEST_SIM_T0_MS: String(simT0),
      TEST_QUEUE_PREFIX: `mp${Date.now()}`,
      TEST_KEY_PREFIX: keyPrefix,
    };
    for (let i = 0; i < 3; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          try {
            lines.push(JSON.parse(part) as LogLine);
          } catch {
            // not a log line
          }
        }
      });
      child.stderr!.on('data', () => undefined);
      children.push(child);
    }

    // Half way through, Redis goes away for two seconds and comes back with what it had.
    await sleep((TICKS / 2) * 1000);
    await redis.stop();
    await sleep(2_000);
    await redis.start();
    await sleep((TICKS / 2) * 1000);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));

    // Deliveries still queued finish with one fresh worker (no ticks needed: none enqueue).
    const conn = new Redis(redis.url);
    const store = new AlertStore(conn, { keyPrefix });
    const drain = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...env, TEST_SIM_START_MS: '', TEST_SIM_T0_MS: '' }, stdio: 'ignore' });
    for (let i = 0; i < 120 && (await store.pendingIds()).length > 0; i += 1) await sleep(500);
    drain.kill('SIGTERM');
    await new Promise((r) => (drain.exitCode !== null ? r(null) : drain.once('exit', r)));
    pendingAfter = await store.pendingIds();
    finalStates = (await store.list()).filter((s) => s.rule === 'server-errors');
    conn.disconnect();
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await flaky?.stop();
    await slack?.stop();
    await redis?.destroy();
  });

  const evaluated = () => lines.filter((l) => l.msg === 'tick evaluated');
  const events = () => lines.filter((l) => l.msg === 'alert event' && l.alert?.startsWith('server-errors'));
  const meta = (call: RecordedCall) => (call.body.metadata as { event_payload?: { alert_id: string; version: number; kind: string } } | undefined)?.event_payload;
  const mainCalls = () => slack.calls.filter((c) => (c.method === 'chat.postMessage' && !c.body.thread_ts) || c.method === 'chat.update').filter((c) => meta(c));

  it('evaluates at least 20 ticks, none twice, across the three processes', () => {
    const slots = evaluated().map((l) => `${l.slot}#${l.chunk}`);
    expect(slots.length).toBeGreaterThanOrEqual(20);
    expect(new Set(slots).size).toBe(slots.length);
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

  it('adds exactly one thread line per change after the first post', () => {
    const replies = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts && meta(c));
    const expected = events().filter((e) => e.kind !== 'fired').map((e) => `${e.alert}@${e.version}`).sort();
    expect(replies.map((c) => `${meta(c)!.alert_id}@${meta(c)!.version}`).sort()).toEqual(expected);
  });
}, ['moto', 'redis']);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
