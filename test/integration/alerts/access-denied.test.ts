/**
 * On moto and Redis: a log bucket holding a seeded 403. One evaluation tick fires `access-denied`
 * on that bucket and its alert message names the requester, IP, operation and key; the next tick
 * reads the log objects' counts from Redis (no GetObject); buckets with logging off or only
 * allow-listed denials stay quiet.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateChunk } from '../../../src/alerts/evaluate.js';
import { alertMessage } from '../../../src/alerts/message.js';
import { AlertStore } from '../../../src/alerts/store.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { countCommands } from '../aws/command-counter.js';
import { logObjectKey, putLogObjects } from '../access-logs/seed-logs.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';

const MINUTE = 60_000;
const APP = 'arn:aws:sts::123456789012:assumed-role/App/i-0ab';
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';
const SCANNER = 'arn:aws:sts::123456789012:assumed-role/SecurityScanner/run-1';

describeWithServices('access-denied alert on moto: a seeded 403 fires and names who was denied', () => {
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const minutesAgo = (m: number) => new Date(now.getTime() - m * MINUTE);
  const logBucket = uniqueBucketName('deny-logs');
  const denied = uniqueBucketName('deny-src');
  const scanned = uniqueBucketName('deny-scan');
  const unlogged = uniqueBucketName('deny-off');
  const clients = createTestAwsClients();
  const commands = countCommands(clients.s3);
  let redis: Redis;
  let store: AlertStore;

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    store = new AlertStore(redis, { keyPrefix: `test:${randomUUID()}:` });
    await createBucket(denied, { logging: { targetBucket: logBucket, targetPrefix: 'denied/' } });
    await createBucket(scanned, { logging: { targetBucket: logBucket, targetPrefix: 'scanned/', partitioned: true } });
    await createBucket(unlogged);
    const key = (prefix: string, sourceBucket: string, partitioned: boolean, delivered: Date) => logObjectKey({ prefix, partitioned, sourceBucket }, delivered);
    await putLogObjects(clients.s3, logBucket, [
      {
        key: key('denied/', denied, false, minutesAgo(5)),
        body: `${[
          logLine({ bucket: denied, at: minutesAgo(20), operation: 'REST.PUT.OBJECT', key: 'cases/a.pdf', status: 200, size: 2048, requester: APP, ip: '10.0.0.1' }),
          logLine({ bucket: denied, at: minutesAgo(15), operation: 'REST.GET.OBJECT', key: 'payroll/2026-03.csv', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
        ].join('\n')}\n`,
      },
      // Older than the rule's hour: it must not count.
      { key: key('denied/', denied, false, minutesAgo(300)), body: `${logLine({ bucket: denied, at: minutesAgo(310), operation: 'REST.GET.OBJECT', key: 'old.csv', status: 403, error: 'AccessDenied', requester: INTRUDER })}\n` },
      { key: key('scanned/', scanned, true, minutesAgo(5)), body: `${logLine({ bucket: scanned, at: minutesAgo(12), operation: 'REST.GET.BUCKETPOLICY', key: '-', status: 403, error: 'AccessDenied', requester: SCANNER })}\n` },
    ]);
  });

  afterAll(async () => {
    redis?.disconnect();
    clients.release();
  });

  const config = fileConfigSchema.parse({
    buckets: [
      { name: denied, alias: 'docs' },
      { name: scanned, thresholds: { 'access-denied': { allowRequesters: ['assumed-role SecurityScanner/*'] } } },
      { name: unlogged },
    ],
  });
  const deps = () => ({
    config,
    aws: createAwsPorts({ clients, cache: new RedisCache(redis), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now }),
    store,
    logger: silentLogger(),
  });
  const tick = (minutesLater: number) => {
    const at = new Date(now.getTime() + minutesLater * MINUTE).toISOString();
    return evaluateChunk(deps(), { chunk: 0, slot: at, at, buckets: config.buckets, fleet: false });
  };

  it('fires once on the bucket with the 403, and the alert message names requester, IP, operation and key', async () => {
    const result = await tick(0);
    const verdict = (bucket: string) => result.verdicts.find((v) => v.rule === 'access-denied' && v.bucket === bucket)!.verdict;
    expect(verdict(denied)).toMatchObject({ status: 'firing', value: 1 });
    expect(verdict(scanned)).toMatchObject({ status: 'ok', value: 0 });
    expect(alertFindingLine(verdict(scanned).finding)).toContain('1 from allow-listed requesters not counted');
    expect(verdict(unlogged)).toMatchObject({ status: 'ok', hasData: false });
    expect(alertFindingLine(verdict(unlogged).finding)).toContain('server access logging is off');

    const fired = result.events.filter((e) => e.state.rule === 'access-denied');
    expect(fired.map((e) => [e.kind, e.state.bucket])).toEqual([['fired', denied]]);
    const posted = JSON.stringify(renderSlack(alertMessage(fired[0]!.state, { region: 'us-east-1', label: () => 'docs' })).blocks);
    expect(posted).toContain('access-denied firing on docs');
    expect(posted).toContain('assumed-role Contractor/laptop-7');
    expect(posted).toContain('203.0.113.9');
    expect(posted).toContain('REST.GET.OBJECT');
    expect(posted).toContain('payroll/2026-03.csv');
    expect(posted).not.toContain('old.csv');
  });

  it('on the next tick reads every log object from the Redis counts, parses none again, and posts nothing new', async () => {
    const before = commands.count('GetObject');
    const result = await tick(5);
    expect(commands.count('GetObject')).toBe(before);
    expect(result.verdicts.find((v) => v.rule === 'access-denied' && v.bucket === denied)!.verdict.status).toBe('firing');
    expect(result.events.filter((e) => e.state.rule === 'access-denied')).toEqual([]);
  });
}, ['moto', 'redis']);
