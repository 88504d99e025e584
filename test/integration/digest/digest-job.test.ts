/**
 * The digest job on real BullMQ and Redis, AWS data from moto, posting to the fake Slack Web API:
 * two workers, the job enqueued by both, an attempt that dies after the channel message, a 429
 * from Slack; the channel still gets one message and its thread replies once each, in order.
 */
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { BucketConfig } from '../../../src/config/schema.js';
import { digestJobFor, processDigestJob, type DigestJobConfig, type DigestJobData, type DigestJobDeps } from '../../../src/jobs/digest-job.js';
import { RedisDigestLedger } from '../../../src/jobs/digest-ledger.js';
import { SlackDigestPoster, type DigestPoster } from '../../../src/jobs/digest-poster.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putObjects, putRequestMetrics, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices('digest job on BullMQ, Redis, moto and the fake Slack', () => {
  const run = Math.random().toString(36).slice(2, 8);
  let slack: FakeSlack;
  let connection: Redis;
  let cacheRedis: Redis;
  const buckets: BucketConfig[] = [];
  const now = new Date();

  beforeAll(async () => {
    slack = await startFakeSlack();
    connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    cacheRedis = new Redis(redisUrl());
    // Eleven buckets: one past a screenful, so the digest has a thread.
    for (let i = 0; i < 11; i += 1) {
      const name = uniqueBucketName(`digest-${i}`);
      await createBucket(name, i === 0 ? { versioning: 'Enabled', metricsConfigIds: ['EntireBucket'], publicAccessBlock: true } : {});
      buckets.push({ name, alias: `d${i}`, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' });
    }
    const first = buckets[0]!.name;
    await putObjects(first, [
      { key: 'cases/new-1.pdf', size: 2048, ageDays: 0.1 },
      { key: 'cases/new-2.pdf', size: 4096, ageDays: 0.5 },
      { key: 'cases/old.pdf', size: 1024, ageDays: 3 },
    ]);
    await putStorageMetrics(first, { days: 3, sizeBytesByStorageType: { StandardStorage: 7168 }, objects: 3 });
    const minutes = Array.from({ length: 30 }, (_, i) => ({ at: new Date(now.getTime() - (i + 5) * 60_000), AllRequests: 100, '4xxErrors': 3, '5xxErrors': 1 }));
    // Small batches: moto refuses large PutMetricData bodies.
    for (let i = 0; i < minutes.length; i += 10) await putRequestMetrics(first, 'EntireBucket', minutes.slice(i, i + 10));
  });

  afterAll(async () => {
    await slack?.stop();
    connection?.disconnect();
    cacheRedis?.disconnect();
  });

  function jobDeps(poster: DigestPoster): DigestJobDeps {
    const config: DigestJobConfig = {
      buckets,
      budget: { monthlyUsd: 200 },
      uploads: { scanBudget: 1000 },
      cleanup: { olderThanDays: 7 },
      channels: { digest: 'C0DIGEST' },
      schedules: { timezone: 'Europe/London', digestTime: '09:00' },
    };
    const aws = createAwsPorts({
      clients: createTestAwsClients(),
      cache: new RedisCache(cacheRedis, { keyPrefix: `test:${run}:` }),
      config: { costs: { cacheHours: 1 } },
      logger: silentLogger(),
      now: () => now,
    });
    return { config, aws, poster, ledger: new RedisDigestLedger(cacheRedis, `test:${run}:digest:`), now: () => now, logger: silentLogger() };
  }

  it('posts the channel message and its thread replies once each, in order, across a crashed attempt and a 429', async () => {
    const real = new SlackDigestPoster({ token: 'xoxb-test', apiUrl: slack.apiUrl });
    // The first attempt dies after the channel message is posted and recorded, before the first
    // reply, as a worker killed mid-job or a Slack outage past the client's own retries would.
    let calls = 0;
    let crashed = false;
    const crashingOnce: DigestPoster = {
      async post(channel, message, threadTs) {
        calls += 1;
        if (calls === 2 && !crashed) {
          crashed = true;
          throw new Error('worker died before the first reply');
        }
        return real.post(channel, message, threadTs);
      },
    };
    const deps = jobDeps(crashingOnce);

    const queueName = `digest-test-${run}`;
    const queue = new Queue<DigestJobData>(queueName, { connection });
    const eventsConnection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const events = new QueueEvents(queueName, { connection: eventsConnection });
    const processor = async (job: { data: DigestJobData }) => processDigestJob(deps, job.data);
    const workers = [new Worker<DigestJobData>(queueName, processor, { connection }), new Worker<DigestJobData>(queueName, processor, { connection })];
    for (const w of workers) w.on('error', () => undefined);
    try {
      await events.waitUntilReady();
      // Slack answers the first post 429 with Retry-After; @slack/web-api waits it out and sends it again.
      slack.rateLimit('chat.postMessage', 1, 1);
      // Both workers enqueue the tick's job; the slot's job id keeps one.
      const job = digestJobFor(now, deps.config);
      const fast = { ...job.opts, backoff: { type: 'fixed' as const, delay: 50 } };
      const [a, b] = await Promise.all([queue.add(job.name, job.data, fast), queue.add(job.name, job.data, fast)]);
      expect(a.id).toBe(b.id);
      const result = await a.waitUntilFinished(events, 30_000);
      expect(result).toMatchObject({ channel: 'C0DIGEST', replies: 2 });

      const answered = slack.callsOf('chat.postMessage');
      // One call was answered 429 and sent again; every other call is one message.
      expect(answered).toHaveLength(1 + 3);
      const distinct = new Map(answered.map((c) => [String(c.body.text), c]));
      expect(distinct.size).toBe(3);
      const [main, ...replies] = [...distinct.values()];
      expect(main!.body.channel).toBe('C0DIGEST');
      expect(main!.body.thread_ts).toBeUndefined();
      expect(String(main!.body.text)).toMatch(/^S3 daily digest \d{4}-\d\d-\d\d: 11 buckets/);
      expect(replies.map((r) => String(r.body.text).replace(/^.*, /, ''))).toEqual(['buckets 1–10 of 11', 'buckets 11–11 of 11']);
      expect(replies.every((r) => r.body.thread_ts === result.mainTs)).toBe(true);
      expect(crashed).toBe(true);
      // The seeded bucket's figures made it from moto into the posted digest.
      const firstReply = JSON.stringify(replies[0]!.body.blocks);
      expect(firstReply).toContain(buckets[0]!.name);
      expect(firstReply).toMatch(/Uploads in 24 h: 2 \(6\.1 KB\)/);

      // Enqueued again for the same slot (a late tick, another worker): nothing new is posted.
      await queue.add(job.name, job.data, fast);
      const again = await processDigestJob(deps, job.data);
      expect(again.posted).toBe(0);
      expect(slack.callsOf('chat.postMessage')).toHaveLength(4);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await events.close();
      eventsConnection.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
