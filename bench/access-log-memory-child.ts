// One process, `/s3 uploads --since 90d` windows at once (different --limit each) over the seeded bucket, with the
// default read budget or none; prints peak RSS, GetObject calls and time as one JSON line.
// Run by bench/access-log-memory.bench-run.ts, each mode in its own process so that one mode's
// heap does not count in the other's peak. Args: <moto url> <budget|unbounded> <source bucket> <windows>.
import { DEFAULT_READ_BUDGET } from '../src/access-logs/read-window.js';
import { createAwsClients } from '../src/aws/clients.js';
import { createAwsPorts } from '../src/aws/create-ports.js';
import { silentLogger } from '../src/lib/logger.js';
import { gatherUploads } from '../src/reports/uploads.js';
import { countCommands } from '../test/integration/aws/command-counter.js';
import type { CachePort } from '../src/lib/cache.js';

const [motoUrl, mode, bucket, windows] = process.argv.slice(2);
if (!motoUrl || (mode !== 'budget' && mode !== 'unbounded') || !bucket || !windows) throw new Error('usage: <moto url> <budget|unbounded> <bucket> <windows>');

// The counts cache lives in Redis in the product; none here, so every window reads its objects.
const noCache: CachePort = { get: async () => null, set: async () => undefined };
const clients = createAwsClients({ region: 'us-east-1', endpoint: motoUrl, logger: silentLogger(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const calls = countCommands(clients.s3);
const now = new Date();
const budget = mode === 'budget' ? DEFAULT_READ_BUDGET : { objects: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY };

const baselineRss = process.memoryUsage().rss;
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

// One set of ports for the process, as the bot has (its command context's).
const ports = createAwsPorts({ clients, cache: noCache, config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now });
const t0 = performance.now();
const answers = await Promise.all(
  Array.from({ length: Number(windows) }, (_, i) => i).map(async (i) => {
    const data = await gatherUploads(ports, { name: bucket, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' }, now, {
      limit: 10 + i,
      sinceMs: 90 * 24 * 3_600_000,
      scanBudget: 10_000,
      logBudget: budget,
    });
    return { total: data.accessLog?.total ?? -1, objects: data.accessLog?.source.objects ?? -1, stopped: data.accessLog?.source.stopped?.objectsNotRead ?? 0 };
  }),
);
const ms = performance.now() - t0;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
clients.s3.destroy();
clients.cloudWatch.destroy();
clients.costExplorer.destroy();
process.stdout.write(`${JSON.stringify({ mode, baselineRss, peakRss, gets: calls.count('GetObject'), lists: calls.count('ListObjectsV2'), ms, answers })}\n`);
