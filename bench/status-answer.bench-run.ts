// Benchmark 2: the time to a full `/s3 status` answer when every AWS call takes 50 ms more (the
// delay proxy in front of moto): the product's gatherStatus + buildStatus, the same calls one at a
// time, and the same facts gathered with sequential `aws` CLI commands. Reports, never fails on speed.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsClients } from '../src/aws/clients.js';
import { createAwsPorts } from '../src/aws/create-ports.js';
import type { AwsPorts } from '../src/aws/ports.js';
import { fileConfigSchema, type BucketConfig } from '../src/config/schema.js';
import { silentLogger } from '../src/lib/logger.js';
import { DAY_SECONDS, errorRateQueries, floorToMinute, storageQueries } from '../src/reports/s3-metrics.js';
import { buildStatus, gatherStatus, STATUS_REQUEST_PERIOD, STATUS_STORAGE_DAYS } from '../src/reports/status.js';
import { describeWithServices, motoUrl, TEST_CREDENTIALS, TEST_REGION } from '../test/helpers/services.js';
import { startFaultProxy, type FaultProxy } from '../test/helpers/fault-proxy.js';
import { fixed, markdownTable, median, resultsDir, runMeta, verdict, writeResult } from './lib/results.js';
import { BENCH_ALIAS, seedStatusBucket } from './lib/seed-bucket.js';
import { MemoryCache } from '../test/helpers/memory-cache.js';

const run = promisify(execFile);

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 50);
const OUR_RUNS = Number(process.env.BENCH_STATUS_RUNS ?? 7);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 3);
const TARGET_VS_SERIAL = 0.25;
const TARGET_VS_CLI = 0.05;

interface Timed {
  ms: number;
  requests: number;
  maxInFlight: number;
}

describeWithServices(
  'benchmark 2: time to a full /s3 status answer with 50 ms per AWS call',
  () => {
    let bucketName = '';
    let bucket: BucketConfig;
    let proxy: FaultProxy;
    const closers: (() => void)[] = [];

    /** The product's ports with their clients pointed at `endpoint`. */
    const portsFor = (endpoint: string): AwsPorts => {
      const clients = createAwsClients({ region: TEST_REGION, endpoint, logger: silentLogger(), credentials: { ...TEST_CREDENTIALS } });
      closers.push(() => {
        clients.s3.destroy();
        clients.cloudWatch.destroy();
        clients.costExplorer.destroy();
      });
      return createAwsPorts({ clients, cache: new MemoryCache(), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => new Date() });
    };

    beforeAll(async () => {
      bucketName = await seedStatusBucket('bench-status');
      bucket = fileConfigSchema.parse({ buckets: [{ name: bucketName, alias: BENCH_ALIAS }] }).buckets[0]!;
      proxy = await startFaultProxy(motoUrl(), { kind: 'slow', delayMs: DELAY_MS });
    }, 120_000);

    afterAll(async () => {
      for (const close of closers) close();
      await proxy?.stop();
    });

    it('answers in ≤ 0.25 of the one-at-a-time time and ≤ 0.05 of the aws CLI time (reported, not asserted)', async () => {
      const viaProxy = portsFor(proxy.url);
      const direct = portsFor(motoUrl());

      /** One full answer, as the slash command computes it: gather, then build the report. */
      const answer = async (ports: AwsPorts) => buildStatus(await gatherStatus(ports, bucket, new Date()));
      const timed = async (serial: boolean, ports: AwsPorts = viaProxy): Promise<Timed & { report: Awaited<ReturnType<typeof answer>> }> => {
        proxy.serial = serial;
        proxy.resetCounts();
        const t0 = performance.now();
        const report = await answer(ports);
        const ms = performance.now() - t0;
        return { ms, requests: proxy.requests, maxInFlight: proxy.maxInFlight, report };
      };

      // Warm-up: the SDK resolves its endpoints and credentials, V8 compiles; not measured.
      await timed(false);
      await timed(true);
      await answer(direct);

      const concurrent: Timed[] = [];
      const serial: Timed[] = [];
      let routes: Record<string, number> = {};
      let sample: Awaited<ReturnType<typeof answer>> | undefined;
      for (let i = 0; i < OUR_RUNS; i += 1) {
        // Alternate which goes first, so drift on the machine does not favour one.
        const order = i % 2 === 0 ? [false, true] : [true, false];
        for (const isSerial of order) {
          const { report, ...figures } = await timed(isSerial);
          (isSerial ? serial : concurrent).push(figures);
          if (!isSerial && i === 0) {
            routes = Object.fromEntries(proxy.byRoute);
            sample = report;
          }
          if (isSerial && i === 0) expect(withoutTime(report.data)).toEqual(withoutTime(sample?.data ?? report.data));
        }
      }
      proxy.serial = false;

      // moto's own speed: the same answer straight from moto, no added delay.
      const motoAlone: number[] = [];
      for (let i = 0; i < OUR_RUNS; i += 1) {
        const t0 = performance.now();
        await answer(direct);
        motoAlone.push(performance.now() - t0);
      }

      // The aws CLI, one command per fact, one after another, as a person at a terminal would.
      const cli = await cliRuns(bucketName, proxy);

      const medians = {
        concurrent: median(concurrent.map((r) => r.ms)),
        serial: median(serial.map((r) => r.ms)),
        cli: median(cli.runs.map((r) => r.ms)),
        motoAlone: median(motoAlone),
        cliStartup: median(cli.startupMs),
      };
      const ratios = { vsSerial: medians.concurrent / medians.serial, vsCli: medians.concurrent / medians.cli };
      const requestCounts = {
        concurrent: [...new Set(concurrent.map((r) => r.requests))],
        serial: [...new Set(serial.map((r) => r.requests))],
        cli: [...new Set(cli.runs.map((r) => r.requests))],
      };

      const list = (values: number[]) => values.map((v) => fixed(v, 0)).join(', ');
      const table = [
        `Benchmark 2: time to a full \`/s3 status\` answer, ${DELAY_MS} ms added to every AWS call (delay proxy in front of moto)`,
        '',
        markdownTable(
          ['how', 'runs', 'median ms', 'all runs ms', 'AWS requests per answer', 'most in flight'],
          [
            ['s3-chatops gatherStatus + buildStatus', String(concurrent.length), fixed(medians.concurrent, 0), list(concurrent.map((r) => r.ms)), requestCounts.concurrent.join('/'), String(Math.max(...concurrent.map((r) => r.maxInFlight)))],
            ['same calls, one at a time (proxy.serial)', String(serial.length), fixed(medians.serial, 0), list(serial.map((r) => r.ms)), requestCounts.serial.join('/'), String(Math.max(...serial.map((r) => r.maxInFlight)))],
            [`sequential aws CLI (${cli.commands} commands)`, String(cli.runs.length), fixed(medians.cli, 0), list(cli.runs.map((r) => r.ms)), requestCounts.cli.join('/'), '1'],
            ['s3-chatops straight to moto, no delay', String(motoAlone.length), fixed(medians.motoAlone, 1), motoAlone.map((v) => fixed(v, 1)).join(', '), requestCounts.concurrent.join('/'), '—'],
            ['aws CLI start-up alone (`aws --version`)', String(cli.startupMs.length), fixed(medians.cliStartup, 0), list(cli.startupMs), '0', '—'],
          ],
        ),
        '',
        markdownTable(
          ['ratio', 'value', 'target'],
          [
            ['ours / one at a time', fixed(ratios.vsSerial, 3), verdict(ratios.vsSerial, TARGET_VS_SERIAL)],
            ['ours / aws CLI', fixed(ratios.vsCli, 4), verdict(ratios.vsCli, TARGET_VS_CLI)],
          ],
        ),
        '',
        `Requests per answer: ours ${requestCounts.concurrent.join('/')}, one at a time ${requestCounts.serial.join('/')}, aws CLI ${requestCounts.cli.join('/')} ` +
          `(${requestCounts.concurrent.join() === requestCounts.serial.join() ? 'the same' : 'DIFFERENT'} for ours and one at a time). ` +
          `CLI commands that exited non-zero per run (facts not set, as the product reads them): ${cli.nonZero.join(', ') || 'none'}.`,
      ].join('\n');

      const file = writeResult('status-answer', {
        meta: runMeta(),
        settings: { delayMs: DELAY_MS, ourRuns: OUR_RUNS, cliRuns: CLI_RUNS, bucket: bucketName },
        medians,
        ratios,
        targets: { vsSerial: TARGET_VS_SERIAL, vsCli: TARGET_VS_CLI },
        requestCounts,
        concurrent,
        serial,
        motoAloneMs: motoAlone,
        cli,
        productRequestsByRoute: routes,
        table,
      });
      console.log(`\n${table}\n\n(written to ${file})`);

      // Correctness only: the answer is a full status, and both ways made the same requests.
      expect(sample?.message.blocks[0]).toMatchObject({ kind: 'header', text: `S3 status: ${BENCH_ALIAS}` });
      expect(sample?.data.facts.problems).toEqual([]);
      expect(requestCounts.serial).toEqual(requestCounts.concurrent);
    }, 15 * 60_000);
  },
  ['moto'],
);

function withoutTime<T extends { generatedAt: Date }>(data: T): Omit<T, 'generatedAt'> {
  const { generatedAt: _ignored, ...rest } = data;
  return rest;
}

interface CliResult {
  commands: number;
  runs: (Timed & { perCommandMs: number[] })[];
  startupMs: number[];
  /** Commands that exited non-zero in the first run, with the error code they printed. */
  nonZero: string[];
  awsVersion: string;
}

/** Times CLI_RUNS rounds of the `aws` commands that read what gatherStatus reads. */
async function cliRuns(bucket: string, proxy: FaultProxy): Promise<CliResult> {
  const end = floorToMinute(new Date());
  const start = new Date(end.getTime() - STATUS_STORAGE_DAYS * DAY_SECONDS * 1000);
  const queries = [
    ...storageQueries(bucket, 's'),
    ...errorRateQueries(bucket, 'EntireBucket', 'r', STATUS_REQUEST_PERIOD),
  ].map((q) => ({
    Id: q.id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })) },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
  }));
  const queriesFile = `${resultsDir()}status-answer.queries.json`;
  writeFileSync(queriesFile, JSON.stringify(queries));

  const s3api = (operation: string) => ['s3api', operation, '--bucket', bucket];
  const commands: string[][] = [
    s3api('get-bucket-location'),
    s3api('get-bucket-versioning'),
    s3api('get-bucket-encryption'),
    s3api('get-public-access-block'),
    s3api('get-bucket-policy-status'),
    s3api('get-bucket-logging'),
    s3api('get-bucket-lifecycle-configuration'),
    s3api('get-bucket-replication'),
    s3api('list-bucket-metrics-configurations'),
    s3api('get-bucket-accelerate-configuration'),
    s3api('get-bucket-tagging'),
    [
      'cloudwatch',
      'get-metric-data',
      '--metric-data-queries',
      `file://${queriesFile}`,
      '--start-time',
      start.toISOString(),
      '--end-time',
      end.toISOString(),
      '--scan-by',
      'TimestampAscending',
    ],
  ];
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: TEST_REGION,
    // Nothing from the machine's own AWS setup: no profile, no metadata service, no pager.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const aws = async (args: string[]): Promise<{ ms: number; code: number; stdout: string; stderr: string }> => {
    const t0 = performance.now();
    try {
      const out = await run('aws', args, { env, maxBuffer: 16 * 2 ** 20 });
      return { ms: performance.now() - t0, code: 0, stdout: out.stdout, stderr: out.stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { ms: performance.now() - t0, code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  const awsVersion = (await aws(['--version'])).stdout.trim() || 'unknown';
  const startupMs: number[] = [];
  for (let i = 0; i < CLI_RUNS; i += 1) startupMs.push((await aws(['--version'])).ms);

  const runs: CliResult['runs'] = [];
  const nonZero: string[] = [];
  for (let i = 0; i < CLI_RUNS; i += 1) {
    proxy.serial = false;
    proxy.resetCounts();
    const perCommandMs: number[] = [];
    const t0 = performance.now();
    for (const args of commands) {
      const result = await aws(['--endpoint-url', proxy.url, '--output', 'json', ...args]);
      perCommandMs.push(result.ms);
      if (result.code !== 0 && i === 0) {
        const code = /\(([A-Za-z]+)\)/.exec(result.stderr)?.[1] ?? `exit ${result.code}`;
        nonZero.push(`${args[1]}: ${code}`);
      }
      if (result.code !== 0 && !/NoSuch|NotFound/.test(result.stderr)) {
        throw new Error(`aws ${args.join(' ')} failed unexpectedly: ${result.stderr.trim()}`);
      }
    }
    runs.push({ ms: performance.now() - t0, requests: proxy.requests, maxInFlight: proxy.maxInFlight, perCommandMs });
  }
  return { commands: commands.length, runs, startupMs, nonZero, awsVersion };
}
