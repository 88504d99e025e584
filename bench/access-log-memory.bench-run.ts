// Six `/s3 uploads --since 90d` at once (six people, six different --limit, so no answer is
// shared) over one bucket's 90 days of server access logs (BENCH_LOG_OBJECTS log objects, default
// 2,000, of BENCH_LOG_LINES records each, default 100): peak RSS, GetObject calls and time, with the default read budget (500 objects,
// 64 MiB per window) and with none (every object of the window read, as before the budget).
// Each mode runs in a child process of its own. Fails only on wrong answers: the budgeted windows
// must read exactly the budget and say how many older objects they left.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logLine } from '../test/fixtures/access-logs/log-lines.js';
import { putLogObjects, logObjectKey, type SeededLogObject } from '../test/integration/access-logs/seed-logs.js';
import { createBucket, uniqueBucketName } from '../test/helpers/seed.js';
import { createTestAwsClients, describeWithServices, motoUrl } from '../test/helpers/services.js';
import { fixed, markdownTable, runMeta, writeResult } from './lib/results.js';

const OBJECTS = Number(process.env.BENCH_LOG_OBJECTS ?? 2_000);
const LINES = Number(process.env.BENCH_LOG_LINES ?? 100);
const WINDOWS = 6;
const HOUR = 3_600_000;
const MiB = 1024 * 1024;
const REPO = fileURLToPath(new URL('../', import.meta.url));

interface ChildResult {
  mode: string;
  baselineRss: number;
  peakRss: number;
  gets: number;
  lists: number;
  ms: number;
  answers: { total: number; objects: number; stopped: number }[];
}

describeWithServices(`benchmark: ${WINDOWS} long access-log windows at once, with and without the read budget`, () => {
  const now = new Date();
  const logBucket = uniqueBucketName('bench-logmem');
  const source = uniqueBucketName('bench-logmem-src');
  const clients = createTestAwsClients();
  let seedSeconds = 0;
  let bytesPerObject = 0;

  beforeAll(async () => {
    const t0 = performance.now();
    await createBucket(logBucket);
    {
      const format = { sourceBucket: source, prefix: 'logs/', partitioned: false };
      await createBucket(source, { logging: { targetBucket: logBucket, targetPrefix: format.prefix, partitioned: false } });
      const objects: SeededLogObject[] = [];
      for (let n = 0; n < OBJECTS; n += 1) {
        const delivered = new Date(now.getTime() - HOUR - Math.floor((n / OBJECTS) * 89 * 24 * HOUR));
        const lines = Array.from({ length: LINES }, (_, l) => {
          const at = new Date(delivered.getTime() - (l + 1) * 1000);
          // Half uploads, a tenth of them refused, and reads: what a busy bucket's log holds.
          if (l % 2 === 0) return logLine({ bucket: source, at, operation: 'REST.PUT.OBJECT', key: `cases/${n}/${l}.pdf`, status: l % 10 === 0 ? 403 : 200, ...(l % 10 === 0 ? { error: 'AccessDenied' } : {}), size: 40_000 });
          return logLine({ bucket: source, at, operation: 'REST.GET.OBJECT', key: `cases/${n}/${l - 1}.pdf`, status: 200, size: 40_000 });
        });
        const body = `${lines.join('\n')}\n`;
        bytesPerObject = body.length;
        objects.push({ key: logObjectKey(format, delivered), body, delivered });
      }
      await putLogObjects(clients.s3, logBucket, objects, 32);
    }
    seedSeconds = (performance.now() - t0) / 1000;
  }, 30 * 60_000);

  afterAll(() => {
    clients.s3.destroy();
    clients.cloudWatch.destroy();
    clients.costExplorer.destroy();
  });

  const run = (mode: 'budget' | 'unbounded'): ChildResult => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/access-log-memory-child.ts', motoUrl(), mode, source, String(WINDOWS)], { cwd: REPO, encoding: 'utf8', maxBuffer: 16 * MiB });
    if (child.status !== 0) throw new Error(`the ${mode} run failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildResult;
  };

  it('six 90-day windows at once: peak RSS and GetObject with the default budget and with none', () => {
    const budget = run('budget');
    const unbounded = run('unbounded');
    // Right answers: the budget reads 500 per window and says the rest were left; none reads all.
    for (const a of budget.answers) expect(a).toMatchObject({ objects: 500, stopped: OBJECTS - 500 });
    for (const a of unbounded.answers) expect(a).toMatchObject({ objects: OBJECTS, stopped: 0 });
    expect(budget.gets).toBe(WINDOWS * 500);
    expect(unbounded.gets).toBe(WINDOWS * OBJECTS);
    const mib = (bytes: number) => fixed(bytes / MiB);
    const row = (name: string, r: ChildResult) => [name, mib(r.baselineRss), mib(r.peakRss), mib(r.peakRss - r.baselineRss), r.gets.toLocaleString('en-US'), fixed(r.ms / 1000)];
    const table = [
      `${WINDOWS} × /s3 uploads --since 90d at once, over ${OBJECTS.toLocaleString('en-US')} log objects of ${LINES} records (${fixed(bytesPerObject / 1024)} KiB each), no counts cache, moto on this machine`,
      '',
      markdownTable(
        ['read budget', 'RSS before, MiB', 'peak RSS, MiB', 'growth, MiB', 'GetObject', 'seconds'],
        [row('none (every object of the window)', unbounded), row('default: 500 objects / 64 MiB per window', budget)],
      ),
      '',
      `seeding: ${OBJECTS.toLocaleString('en-US')} objects in ${fixed(seedSeconds)} s`,
    ].join('\n');
    const file = writeResult('access-log-memory', { meta: runMeta(), table, budget, unbounded, objects: OBJECTS, lines: LINES, bytesPerObject });
    process.stdout.write(`\n${table}\nJSON: ${file}\n`);
  });
});
