// Benchmark 1: how fast `/s3 status` is acknowledged under 50 concurrent connections, side by
// side with a bare Bolt app that only acknowledges. Each server runs in its own child process (the
// bot through the real CLI, `start --role bot`), and so does the fake Slack that receives the
// answers; the load (autocannon, and the burst and paced generators) runs here. See BENCHMARKS.md.
// Reports; fails only on wrong answers (acknowledgements, lost answers), never on speed.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSY_TEXT } from '../src/slack/replies.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../test/helpers/services.js';
import { buildProduct, spawnServer, type ChildServer } from './lib/child-server.js';
import { fixed, markdownTable, quantilesOf, RESULTS_DIR, resultsDir, runMeta, verdict, writeResult } from './lib/results.js';
import { burstLoad, pacedLoad } from './lib/paced-load.js';
import { BENCH_ALIAS, seedStatusBucket } from './lib/seed-bucket.js';
import { RemoteSlackSink, type SinkCounts } from './lib/slack-sink.js';
import { SlashCommandFactory } from './lib/slash-command.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
/** Rounds of bare-then-ours, ours-then-bare, …: alternating order spreads drift over both. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Total requests per second of the paced (open-loop, evenly spaced) runs; 0 leaves them out. */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 200);
/** Time between the starts of two bursts (each burst is CONNECTIONS commands at once); 0 leaves bursts out. */
const BURST_EVERY_MS = Number(process.env.BENCH_BURST_EVERY_MS ?? 500);
const P99_TARGET = 1.5;

const SIGNING_SECRET = 'bench-signing-secret-3b5d5c3712955042';
const BOT_TOKEN = 'xoxb-bench-token';

type ServerKind = 'bare' | 'ours';
/**
 * `saturating`: each connection sends its next command as soon as the last is acknowledged (autocannon);
 * `burst`: all connections send one command at the same moment, every BURST_EVERY_MS;
 * `paced`: commands evenly spaced at a fixed total rate (an open loop).
 */
type Phase = 'saturating' | 'burst' | 'paced';

interface AckCounts {
  empty: number;
  /** Acknowledgements that carried the answer itself (a recent answer reused): in_channel, the "reused" note. */
  answered: number;
  /** Bytes of the largest acknowledgement body that carried an answer. */
  answeredMaxBytes: number;
  busy: number;
  /** Any other ephemeral body: bad input. */
  badInput: number;
  other: number;
  non200: number;
  samples: string[];
}

interface RunResult {
  kind: ServerKind;
  /** When the measured run started (ms since the epoch). */
  startedAt: number;
  /** ms from the server's spawn to the run's start, to line runs up with `--trace-gc` lines (BENCH_TRACE_GC=1). */
  startedAfterSpawnMs: number;
  phase: Phase;
  round: number;
  requests: number;
  durationS: number;
  latencies: Float64Array;
  errors: number;
  timeouts: number;
  acks: AckCounts;
  cpuMs: number | null;
  rssMiB: number | null;
  /** autocannon's own figures (whole milliseconds), saturating runs only. */
  autocannon: { p50: number; p99: number; rpsAverage: number } | null;
  /** What reached the response_url sink by the end of the run, and once it went quiet. */
  sinkAtEnd?: SinkCounts;
  sinkSettled?: SinkCounts;
  /** Event-loop delay of the benchmark process itself during the run (a stall here inflates the measured latencies). */
  benchLoopDelayMs?: { p99: number; max: number };
  /** TCP connections the server opened to the Slack sink during the run (its response_url posts). */
  sinkConnections?: number;
  /** The ten slowest acknowledgements and when (s into the run) they were sent. */
  slowest?: { sentAtS: number; ms: number }[];
  /** Paced and burst runs: when (s into the run) answers computed afresh (not reused) reached the sink. */
  freshAnswersAtS?: number[];
}

describeWithServices('benchmark 1: ack latency of /s3 status under load', () => {
  let sink: RemoteSlackSink;
  let sinkProcess: ChildServer | undefined;
  let bucket = '';
  let bot: ChildServer | undefined;
  let bare: ChildServer | undefined;

  beforeAll(async () => {
    // The bot runs from the compiled build, as `npm start` and the container run it.
    buildProduct();
    bucket = await seedStatusBucket('bench-ack');
    // The fake Slack runs in a process of its own: receiving ~1,000 answers a second here would stall the load generator.
    sinkProcess = await spawnServer({
      name: 'Slack sink',
      args: ['--import', 'tsx', 'bench/slack-sink-server.ts'],
      env: {},
      logFile: `${RESULTS_DIR}ack-latency.sink.log`,
      portFromLine: (line) => {
        const parsed = tryJson(line);
        return typeof parsed?.port === 'number' ? parsed.port : undefined;
      },
    });
    sink = new RemoteSlackSink(`http://127.0.0.1:${sinkProcess.port}`);
    const configFile = `${resultsDir()}ack-latency.config.yml`;
    writeFileSync(configFile, `buckets:\n  - name: ${bucket}\n    alias: ${BENCH_ALIAS}\n`);
    const slackEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: sink.apiUrl, PORT: '0' };
    // Started one by one and kept as they start, so afterAll stops whichever did when the other fails.
    bot = await spawnServer({
      name: 'bot (s3-chatops start --role bot)',
      args: [...profileArgs('bot'), 'bin/s3-chatops.js', 'start', '--role', 'bot'],
      env: { ...awsTestEnv(), ...slackEnv, REDIS_URL: redisUrl(), CONFIG_FILE: configFile, LOG_LEVEL: 'info', NODE_ENV: 'production' },
      logFile: `${RESULTS_DIR}ack-latency.bot.log`,
      portFromLine: (line) => {
        const parsed = tryJson(line);
        return parsed?.msg === 'bot started' && typeof parsed.port === 'number' ? parsed.port : undefined;
      },
    });
    bare = await spawnServer({
      name: 'bare Bolt app',
      args: [...profileArgs('bare'), 'bench/bare-bolt-app.mjs'],
      env: { ...slackEnv, NODE_ENV: 'production' },
      logFile: `${RESULTS_DIR}ack-latency.bare.log`,
      portFromLine: (line) => {
        const parsed = tryJson(line);
        return typeof parsed?.port === 'number' ? parsed.port : undefined;
      },
    });
    // Ready: Redis answers and auth.test passed against the sink.
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${bot!.port}/readyz`)).status === 200, 'the bot did not become ready');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([bot?.stop(), bare?.stop()]);
    await sinkProcess?.stop();
  });

  it('acknowledges /s3 status within 1.5× the p99 of a bare Bolt app (reported, not asserted)', async () => {
    const servers: Record<ServerKind, ChildServer> = { bare: bare!, ours: bot! };

    // One command first, end to end: the bot acknowledges with an empty body and answers the status.
    const single = new SlashCommandFactory(`status ${BENCH_ALIAS}`, SIGNING_SECRET, sink.url, 'smoke');
    const one = single.next();
    const ack = await fetch(`http://127.0.0.1:${bot!.port}/slack/events`, { method: 'POST', headers: one.headers, body: one.body });
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    // The first answer asks AWS: wait for it, not for a quiet moment that can come before it.
    await waitUntil(async () => (await sink.snapshot()).statusAnswers >= 1, 'the smoke command was not answered', 60_000);
    const smoke = await sink.settle(500, 10_000);
    expect(smoke.statusAnswers).toBe(1);
    await sink.reset();

    // CPU each server uses doing nothing, so per-request CPU can be read against it.
    const idleCpu = await idleCpuPercent([bare!, bot!], 3_000);

    const runs: RunResult[] = [];
    const measure = async (phase: Phase, kind: ServerKind, round: number) => {
      const server = servers[kind];
      await load(server, kind, phase, round, WARMUP_S); // warm-up, discarded
      await sink.settle(500, 10_000);
      await sink.reset();
      const run = await load(server, kind, phase, round, DURATION_S);
      run.sinkSettled = await sink.settle(1_000, 20_000);
      runs.push(run);
      await sink.reset();
    };
    // The issue's load: 50 connections, each sending its next command as soon as the last is acknowledged.
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const kind of round % 2 === 1 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const)) await measure('saturating', kind, round);
    }
    // 50 commands at the same moment, then quiet: a channel in an incident.
    if (BURST_EVERY_MS > 0) for (const kind of ['bare', 'ours'] as const) await measure('burst', kind, 1);
    // The same 50 connections at a fixed total rate that neither server is near its limit at.
    if (PACED_RATE > 0) for (const kind of ['bare', 'ours'] as const) await measure('paced', kind, 1);

    const summary = (phase: Phase) => {
      const bareAll = pool(runs.filter((r) => r.phase === phase && r.kind === 'bare'));
      const oursAll = pool(runs.filter((r) => r.phase === phase && r.kind === 'ours'));
      return {
        bare: bareAll,
        ours: oursAll,
        ratios: { p50: oursAll.p50 / bareAll.p50, p99: oursAll.p99 / bareAll.p99, rps: oursAll.rps / bareAll.rps, cpuPerRequest: (oursAll.cpuMsPerRequest ?? NaN) / (bareAll.cpuMsPerRequest ?? NaN) },
      };
    };
    const saturating = summary('saturating');
    const paced = PACED_RATE > 0 ? summary('paced') : undefined;
    const burst = BURST_EVERY_MS > 0 ? summary('burst') : undefined;

    const oursRuns = runs.filter((r) => r.kind === 'ours');
    const sum = (pick: (r: RunResult) => number) => oursRuns.reduce((n, r) => n + pick(r), 0);
    const sinkTotals = {
      acknowledged: sum((r) => r.acks.empty),
      answeredInAck: sum((r) => r.acks.answered),
      answersDuringRun: sum((r) => r.sinkAtEnd?.statusAnswers ?? 0),
      answersAfterDrain: sum((r) => r.sinkSettled?.statusAnswers ?? 0),
      distinctResponseUrls: sum((r) => r.sinkSettled?.distinctIds ?? 0),
      reusedAnswers: sum((r) => r.sinkSettled?.reusedAnswers ?? 0),
      inChannel: sum((r) => r.sinkSettled?.inChannel ?? 0),
      otherPosts: sum((r) => (r.sinkSettled?.posts ?? 0) - (r.sinkSettled?.statusAnswers ?? 0)),
    };
    const ackBodies = {
      empty: sum((r) => r.acks.empty),
      answered: sum((r) => r.acks.answered),
      answeredMaxBytes: Math.max(0, ...oursRuns.map((r) => r.acks.answeredMaxBytes)),
      busy: sum((r) => r.acks.busy),
      badInput: sum((r) => r.acks.badInput),
      other: sum((r) => r.acks.other),
      non200: sum((r) => r.acks.non200),
      samples: oursRuns.flatMap((r) => r.acks.samples).slice(0, 3),
    };
    const bareErrors = runs.filter((r) => r.kind === 'bare').reduce((n, r) => n + r.acks.non200 + r.acks.busy + r.acks.badInput + r.acks.other + r.errors, 0);

    const row = (label: string, s: PoolStats) => [
      label,
      String(s.requests),
      fixed(s.rps, 0),
      fixed(s.p50, 2),
      fixed(s.p90, 2),
      fixed(s.p99, 2),
      fixed(s.max, 1),
      String(s.non200 + s.errors),
      s.cpuMsPerRequest === null ? '—' : fixed(s.cpuMsPerRequest, 3),
    ];
    const header = ['server', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-200 + errors', 'server CPU ms/req'];
    const ratioRows = (label: string, r: ReturnType<typeof summary>['ratios'], withTarget: boolean) => [
      [`${label}: p99 latency`, fixed(r.p99, 2), withTarget ? verdict(r.p99, P99_TARGET) : `(${verdict(r.p99, P99_TARGET)})`],
      [`${label}: p50 latency`, fixed(r.p50, 2), '—'],
      [`${label}: requests per second`, fixed(r.rps, 2), '—'],
      [`${label}: server CPU per request`, fixed(r.cpuPerRequest, 1), '—'],
    ];
    const table = [
      `Benchmark 1: ack latency of \`/s3 status\`, ${CONNECTIONS} connections, ${DURATION_S} s per run after ${WARMUP_S} s warm-up; ` +
        `saturating: ${ROUNDS} round(s) per server, alternating order` +
        `${burst ? `; bursts: ${CONNECTIONS} commands at once every ${BURST_EVERY_MS} ms, 1 run per server` : ''}` +
        `${paced ? `; paced: ${PACED_RATE} req/s in total, evenly spaced, 1 run per server` : ''}`,
      '',
      markdownTable(header, [
        row('saturating: bare Bolt app', saturating.bare),
        row('saturating: s3-chatops bot', saturating.ours),
        ...runs.filter((r) => r.phase === 'saturating').map((r) => row(`  round ${r.round}: ${r.kind === 'bare' ? 'bare' : 'bot'}`, pool([r]))),
        ...(burst ? [row(`bursts of ${CONNECTIONS}: bare Bolt app`, burst.bare), row(`bursts of ${CONNECTIONS}: s3-chatops bot`, burst.ours)] : []),
        ...(paced ? [row(`paced ${PACED_RATE}/s: bare Bolt app`, paced.bare), row(`paced ${PACED_RATE}/s: s3-chatops bot`, paced.ours)] : []),
      ]),
      '',
      markdownTable(
        ['ratio bot / bare', 'value', 'target'],
        [
          ...ratioRows('saturating', saturating.ratios, true),
          ...(burst ? ratioRows(`bursts of ${CONNECTIONS}`, burst.ratios, false) : []),
          ...(paced ? ratioRows(`paced ${PACED_RATE}/s`, paced.ratios, false) : []),
        ],
      ),
      '',
      `Idle CPU before the runs: bare ${idleCpu[0] ?? '—'} %, bot ${idleCpu[1] ?? '—'} % of one core.`,
      `Longest stall of the load generator's own event loop per run (it would show as server latency): ` +
        runs.map((r) => `${r.phase} ${r.kind === 'bare' ? 'bare' : 'bot'}${r.phase === 'saturating' ? ` r${r.round}` : ''} ${fixed(r.benchLoopDelayMs?.max ?? NaN, 0)} ms`).join(', ') +
        '.',
      `Bot acknowledgements (all runs): ${ackBodies.empty} empty (answer to follow), ${ackBodies.answered} carrying the reused answer itself (at most ${ackBodies.answeredMaxBytes} bytes), ${ackBodies.busy} busy, ${ackBodies.badInput} bad-input, ${ackBodies.other} other, ${ackBodies.non200} non-200. Bare app: ${bareErrors} not 200-and-empty.`,
      `Answers at the response_url sink (bot runs): ${sinkTotals.answersDuringRun} by the end of the measured runs, ${sinkTotals.answersAfterDrain} once it went quiet ` +
        `(${sinkTotals.distinctResponseUrls} distinct response_urls, ${sinkTotals.inChannel} in_channel, ${sinkTotals.reusedAnswers} with the "reused" note, ${sinkTotals.otherPosts} other posts) ` +
        `for ${sinkTotals.acknowledged} commands acknowledged with an empty body.`,
    ].join('\n');

    const file = writeResult('ack-latency', {
      meta: runMeta(),
      settings: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, rounds: ROUNDS, burstEveryMs: BURST_EVERY_MS, pacedRate: PACED_RATE, bucket },
      saturating,
      ...(burst ? { burst } : {}),
      ...(paced ? { paced } : {}),
      target: { p99Ratio: P99_TARGET },
      idleCpuPercent: { bare: idleCpu[0], ours: idleCpu[1] },
      ackBodies,
      sink: sinkTotals,
      runs: runs.map(({ latencies, ...rest }) => ({ ...rest, latency: pool([{ ...rest, latencies }]) })),
      botApiCalls: (await sink.snapshot()).apiCalls,
      table,
    });
    console.log(`\n${table}\n\n(written to ${file})`);

    // Correctness only, never speed: every command was acknowledged as good input and answered
    // (commands cut off when a run ends can be answered without their ack being counted, hence ≥).
    expect(ackBodies.non200 + ackBodies.busy + ackBodies.badInput + ackBodies.other).toBe(0);
    expect(sinkTotals.answersAfterDrain).toBeGreaterThanOrEqual(sinkTotals.acknowledged);
  }, 15 * 60_000);

  async function load(server: ChildServer, kind: ServerKind, phase: Phase, round: number, durationS: number): Promise<RunResult> {
    const factory = new SlashCommandFactory(`status ${BENCH_ALIAS}`, SIGNING_SECRET, sink.url, `${kind}-${phase}${round}-${durationS}s-${Date.now()}`);
    const acks: AckCounts = { empty: 0, answered: 0, answeredMaxBytes: 0, busy: 0, badInput: 0, other: 0, non200: 0, samples: [] };
    const latencies: number[] = [];
    const connectionsBefore = (await sink.snapshot()).connections;
    // Stalls of this process (the load generator) would count as server latency; watch for them.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = server.cpuMs();
    const startedAt = Date.now();
    const url = `http://127.0.0.1:${server.port}`;
    let measured: Pick<RunResult, 'durationS' | 'errors' | 'timeouts' | 'autocannon'>;
    let slowest: RunResult['slowest'];
    let freshAtS = async (): Promise<number[] | undefined> => undefined;
    if (phase === 'paced' || phase === 'burst') {
      const common = { url, path: '/slack/events', connections: CONNECTIONS, next: () => factory.next(), onResponse: (status: number, body: string) => classifyAck(acks, status, body) };
      const paced =
        phase === 'paced'
          ? await pacedLoad({ ...common, rate: PACED_RATE, durationS })
          : await burstLoad({ ...common, bursts: Math.max(1, Math.round((durationS * 1000) / BURST_EVERY_MS)), everyMs: BURST_EVERY_MS });
      latencies.push(...paced.latencies);
      slowest = paced.latencies
        .map((ms, i) => ({ sentAtS: Math.round(paced.sentAt[i]!) / 1000, ms: Math.round(ms * 100) / 100 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10);
      measured = { durationS: paced.durationS, errors: paced.errors, timeouts: 0, autocannon: null };
      freshAtS = async () => (await sink.snapshot()).freshAt.map((at) => Math.round(at - startedAt) / 1000);
    } else {
      const instance = autocannon({
        url,
        connections: CONNECTIONS,
        duration: durationS,
        requests: [
          {
            method: 'POST',
            path: '/slack/events',
            setupRequest: (request) => ({ ...request, ...mergeHeaders(request, factory.next()) }),
            onResponse: (status, body) => classifyAck(acks, status, body),
          },
        ],
      });
      // autocannon's own histogram keeps whole milliseconds; these keep the exact times.
      const respondedAt: number[] = [];
      const t0 = performance.now();
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
        respondedAt.push(performance.now() - t0);
      });
      const result = await instance;
      slowest = latencies
        .map((ms, i) => ({ sentAtS: Math.round(respondedAt[i]! - ms) / 1000, ms: Math.round(ms * 100) / 100 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10);
      measured = {
        durationS: (result.finish.getTime() - result.start.getTime()) / 1000,
        errors: result.errors,
        timeouts: result.timeouts,
        autocannon: { p50: result.latency.p50, p99: result.latency.p99, rpsAverage: result.requests.average },
      };
    }
    const cpuAfter = server.cpuMs();
    loopDelay.disable();
    const sinkAtEnd = await sink.snapshot();
    const fresh = await freshAtS();
    return {
      kind,
      phase,
      round,
      requests: latencies.length,
      latencies: Float64Array.from(latencies),
      acks,
      cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
      rssMiB: server.rssMiB(),
      startedAt,
      startedAfterSpawnMs: startedAt - server.spawnedAt,
      sinkAtEnd,
      sinkConnections: sinkAtEnd.connections - connectionsBefore,
      benchLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e4) / 100, max: Math.round(loopDelay.max / 1e4) / 100 },
      ...measured,
      ...(slowest ? { slowest } : {}),
      ...(fresh ? { freshAnswersAtS: fresh } : {}),
    };
  }
});

interface PoolStats {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  non200: number;
  errors: number;
  cpuMsPerRequest: number | null;
}

function pool(runs: readonly Pick<RunResult, 'latencies' | 'durationS' | 'acks' | 'errors' | 'cpuMs'>[]): PoolStats {
  const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of runs) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  const [p50, p90, p99, max] = quantilesOf(all, [0.5, 0.9, 0.99, 1]);
  const duration = runs.reduce((n, r) => n + r.durationS, 0);
  const cpu = runs.every((r) => r.cpuMs !== null) ? runs.reduce((n, r) => n + r.cpuMs!, 0) : null;
  return {
    requests: all.length,
    rps: all.length / duration,
    p50: p50!,
    p90: p90!,
    p99: p99!,
    max: max!,
    mean: all.reduce((a, b) => a + b, 0) / (all.length || 1),
    non200: runs.reduce((n, r) => n + r.acks.non200, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    cpuMsPerRequest: cpu === null || all.length === 0 ? null : cpu / all.length,
  };
}

function mergeHeaders(
  request: { headers?: Record<string, string> },
  next: { body: string; headers: Record<string, string> },
): { body: string; headers: Record<string, string> } {
  return { body: next.body, headers: { ...request.headers, ...next.headers } };
}

function classifyAck(acks: AckCounts, status: number, body: string): void {
  if (status !== 200) {
    acks.non200 += 1;
    if (acks.samples.length < 3) acks.samples.push(`${status} ${body.slice(0, 200)}`);
    return;
  }
  if (body === '') {
    acks.empty += 1;
    return;
  }
  if (body.includes('"in_channel"') && body.includes('reused')) {
    acks.answered += 1;
    acks.answeredMaxBytes = Math.max(acks.answeredMaxBytes, Buffer.byteLength(body));
    return;
  }
  if (body.includes(BUSY_TEXT)) acks.busy += 1;
  else if (body.includes('"ephemeral"')) acks.badInput += 1;
  else acks.other += 1;
  if (acks.samples.length < 3) acks.samples.push(body.slice(0, 300));
}

/**
 * BENCH_PROFILE=1: a CPU profile per server in bench/results/profiles/<server>/; BENCH_HEAP_PROFILE=1:
 * a sampling heap (allocation) profile there; BENCH_TRACE_GC=1: GC lines in the server logs.
 */
function profileArgs(name: string): string[] {
  return [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir()}profiles/${name}`] : []),
    ...(process.env.BENCH_HEAP_PROFILE ? ['--heap-prof', `--heap-prof-dir=${resultsDir()}profiles/${name}`] : []),
    ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []),
  ];
}

async function idleCpuPercent(servers: ChildServer[], ms: number): Promise<(number | null)[]> {
  const before = servers.map((s) => s.cpuMs());
  await new Promise((resolve) => setTimeout(resolve, ms));
  return servers.map((s, i) => {
    const after = s.cpuMs();
    const start = before[i];
    return after === null || start === null || start === undefined ? null : Math.round(((after - start) / ms) * 1000) / 10;
  });
}

function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function waitUntil(check: () => Promise<boolean>, failure: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${failure} within ${timeoutMs / 1000} s`);
}
