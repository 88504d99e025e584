/**
 * On moto: a log bucket holding more log objects over 90 days than a window's read budget.
 * `/s3 uploads --since 90d` through the real bot reads the newest objects up to the budget
 * (GetObject counted), lists the newest uploads and says where it stopped; a byte budget stops
 * the same way; the digest says it too.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBucketAccessLog } from '../../../src/reports/access-log-read.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { Config } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { formatTimestamp } from '../../../src/message/format.js';
import { renderText } from '../../../src/render/text/index.js';
import { uploadsFromAccessLog } from '../../../src/reports/digest/gather.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { countCommands } from '../aws/command-counter.js';
import { startTestBot, testConfig, type RunningBot } from '../slack/harness.js';
import { logObjects, putLogObjects, type SeededLogObject } from './seed-logs.js';

const HOUR = 3_600_000;
const OBJECTS = 120;
const BUDGET = 40;

describeWithServices('access-log read budget on moto', () => {
  const now = new Date();
  const logBucket = uniqueBucketName('budget-logs');
  const source = uniqueBucketName('budget-src');
  const format = { sourceBucket: source, prefix: 'logs/', partitioned: false };
  // One delivery every 18 h over 90 days, newest first; each holds one upload, ten minutes before it.
  const deliveries = Array.from({ length: OBJECTS }, (_, i) => new Date(now.getTime() - (0.5 + i * 18) * HOUR));
  const seeded: SeededLogObject[] = deliveries.flatMap((delivered, i) =>
    logObjects(format, delivered, [logLine({ bucket: source, at: new Date(delivered.getTime() - 600_000), operation: 'REST.PUT.OBJECT', key: `cases/${i}.pdf`, status: 200, size: 1024 })]),
  );
  const clients = createTestAwsClients();
  const calls = countCommands(clients.s3);
  let redis: Redis;
  let bot: RunningBot;
  let config: Config;
  const ports = () => createAwsPorts({ clients, cache: new RedisCache(redis, { keyPrefix: `budget:${randomUUID()}:` }), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now });

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    await createBucket(logBucket);
    await createBucket(source, { logging: { targetBucket: logBucket, targetPrefix: format.prefix, partitioned: false } });
    await putLogObjects(clients.s3, logBucket, seeded);
    const base = testConfig([{ name: source }]);
    config = { ...base, uploads: { ...base.uploads, logObjectBudget: BUDGET } };
    bot = await startTestBot({ config, features: defaultSlackFeatures(config), aws: ports() });
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    redis?.disconnect();
    clients.release();
  });

  it(`/s3 uploads --since 90d over ${OBJECTS} log objects reads the newest ${BUDGET}, lists the newest uploads and says where it stopped`, async () => {
    const gets = calls.count('GetObject');
    const ack = await bot.command(`uploads ${source} --since 90d --limit 5`);
    expect(ack.status).toBe(200);
    const answer = JSON.stringify(await bot.answer(ack));
    expect(calls.count('GetObject') - gets).toBe(BUDGET);
    // The newest uploads are the ones shown: the budget keeps the most recent part of the window.
    for (const i of [0, 1, 2, 3, 4]) expect(answer).toContain(`cases/${i}.pdf`);
    const oldestRead = deliveries[BUDGET - 1]!;
    expect(answer).toContain(`Read the newest ${BUDGET} log objects, delivered back to ${formatTimestamp(oldestRead)}; ${OBJECTS - BUDGET} older log objects not read (the read budget of ${BUDGET} log objects)`);
  }, 60_000);

  it('a byte budget stops the read the same way, newest first, in /s3 errors', async () => {
    const size = seeded[0]!.body.length;
    const gets = calls.count('GetObject');
    const data = await gatherErrors(ports(), { name: source, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' }, now, 7 * 24 * HOUR, {
      logBudget: { objects: 1_000, bytes: size * 3 + 1 },
    });
    expect(calls.count('GetObject') - gets).toBe(3);
    expect(data.accessLog?.source.stopped).toMatchObject({ limit: 'bytes', objectsRead: 3 });
    expect(renderText(buildErrors(data).message)).toMatch(/Read the newest 3 log objects \([\d.]+ [kK]?B\), delivered back to .*; \d+ older log objects not read \(the read budget of/);
  }, 60_000);

  it('the digest says the day was read only back to where the budget stopped', async () => {
    const p = ports();
    const facts = await p.facts.getFacts(source);
    const log = await readBucketAccessLog(p, facts, { start: new Date(now.getTime() - 24 * HOUR), end: now }, silentLogger(), { budget: { objects: 1, bytes: 1 << 20 } });
    if (!log.ok) throw new Error(log.reason);
    const uploads = uploadsFromAccessLog(log.window);
    expect(uploads.atLeast).toBe(true);
    expect(uploads.accessLog?.readStopped).toMatch(/^Read the newest 1 log object, delivered back to .*; 1 older log object not read/);
  }, 60_000);
});
