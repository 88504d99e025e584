// Access-log parser throughput: MB/s and peak memory over a generated 200 MB log, against the
// floor of doing any work at all (a plain `line.split(' ')` pass over the same file, same reader).
// Reports; fails only when the parser reads the file wrongly, never on speed.
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAccessLog } from '../src/access-logs/parse-stream.js';
import { logLine } from '../test/fixtures/access-logs/log-lines.js';
import { fixed, markdownTable, median, runMeta, writeResult } from './lib/results.js';

const TARGET_MB = Number(process.env.BENCH_LOG_MB ?? 200);
const RUNS = Number(process.env.BENCH_PARSER_RUNS ?? 3);
const FILE = join(os.tmpdir(), `s3-chatops-bench-access-log-${process.pid}.log`);

let expectedLines = 0;

/** Writes `TARGET_MB` of documented-format records: uploads, reads, 403s, 404s, varied requesters. */
async function generate(): Promise<void> {
  const ops = [
    { operation: 'REST.PUT.OBJECT', status: 200 },
    { operation: 'REST.GET.OBJECT', status: 200 },
    { operation: 'REST.GET.OBJECT', status: 200 },
    { operation: 'REST.HEAD.OBJECT', status: 200 },
    { operation: 'REST.GET.OBJECT', status: 404, error: 'NoSuchKey' },
    { operation: 'REST.PUT.OBJECT', status: 403, error: 'AccessDenied' },
    { operation: 'REST.POST.UPLOAD', status: 200 },
  ];
  const out = createWriteStream(FILE);
  const start = Date.UTC(2026, 0, 1);
  let bytes = 0;
  let batch: string[] = [];
  for (let i = 0; bytes < TARGET_MB * 1e6; i += 1) {
    const op = ops[i % ops.length]!;
    const line = logLine({
      bucket: 'surgical-docs-bucket',
      at: new Date(start + i * 50),
      key: `public/cases/case-${(i % 90_000).toString().padStart(6, '0')}/document-${i % 7}.pdf`,
      requester: i % 3 === 0 ? `arn:aws:sts::123456789012:assumed-role/App/i-0${(i % 50).toString(16)}` : 'arn:aws:iam::123456789012:user/alice',
      ip: `10.0.${i % 250}.${i % 200}`,
      size: 1_000 + (i % 5_000_000),
      ...op,
    });
    batch.push(line);
    bytes += line.length + 1;
    expectedLines += 1;
    if (batch.length === 5_000) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  out.write(batch.length ? `${batch.join('\n')}\n` : '');
  out.end();
  await once(out, 'finish');
}

interface Pass {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  lines: number;
}

/** Runs `work` while sampling memory every 10 ms. */
async function measured(work: () => Promise<number>): Promise<Pass> {
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const t0 = performance.now();
  const lines = await work();
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { ms, lines, peakRssMb: (peakRss - base.rss) / 1e6, peakHeapMb: (peakHeap - base.heapUsed) / 1e6 };
}

/** The floor: the same chunked read and line split, then `line.split(' ')` and nothing else. */
async function splitPass(): Promise<number> {
  let lines = 0;
  let fields = 0;
  let carry = '';
  for await (const chunk of createReadStream(FILE, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const text = carry + (chunk as string);
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      fields += text.slice(start, end).split(' ').length;
      lines += 1;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    carry = text.slice(start);
  }
  expect(fields).toBeGreaterThan(lines);
  return lines;
}

async function parserPass(): Promise<number> {
  let records = 0;
  const stats = await parseAccessLog(createReadStream(FILE, { highWaterMark: 64 * 1024 }), () => {
    records += 1;
  });
  expect(stats.unreadable).toBe(0);
  return records;
}

beforeAll(async () => {
  await generate();
}, 10 * 60_000);

afterAll(() => rmSync(FILE, { force: true }));

it(`parses a ${TARGET_MB} MB access log (reported, not asserted)`, async () => {
  const mb = statSync(FILE).size / 1e6;
  await splitPass(); // warm the page cache and the JIT
  const split: Pass[] = [];
  const parser: Pass[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Alternate the order so drift on a shared machine does not favour one.
    for (const which of i % 2 === 0 ? ['split', 'parser'] : ['parser', 'split']) {
      const pass = await measured(which === 'split' ? splitPass : parserPass);
      expect(pass.lines).toBe(expectedLines);
      (which === 'split' ? split : parser).push(pass);
    }
  }
  const rate = (passes: Pass[]) => mb / (median(passes.map((p) => p.ms)) / 1000);
  const peak = (passes: Pass[], k: 'peakRssMb' | 'peakHeapMb') => Math.max(...passes.map((p) => p[k]));
  const ratio = rate(parser) / rate(split);
  const table = [
    `Access-log parser on a generated ${fixed(mb, 0)} MB log (${expectedLines.toLocaleString('en-US')} records), median of ${RUNS} runs`,
    '',
    markdownTable(
      ['pass', 'MB/s', 'median s', 'peak RSS growth MB', 'peak heap growth MB'],
      [
        ['`line.split(\' \')` (floor)', fixed(rate(split)), fixed(median(split.map((p) => p.ms)) / 1000, 2), fixed(peak(split, 'peakRssMb')), fixed(peak(split, 'peakHeapMb'))],
        ['parseAccessLog (every field)', fixed(rate(parser)), fixed(median(parser.map((p) => p.ms)) / 1000, 2), fixed(peak(parser, 'peakRssMb')), fixed(peak(parser, 'peakHeapMb'))],
      ],
    ),
    '',
    `parser throughput = ${fixed(ratio * 100, 0)} % of the split floor`,
  ].join('\n');
  const file = writeResult('access-logs-parser', { meta: runMeta(), table, mb, records: expectedLines, split, parser, ratio });
  process.stdout.write(`\n${table}\nJSON: ${file}\n`);
});
