import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { formatBytes, formatCount, formatPercent } from '../../../src/message/format.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { createBucket, putObjects, putRequestMetrics, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { appHomeOpenedBody, refreshBody, startTestBot, testConfig, type RunningBot } from './harness.js';

// The real Bolt app, the real commands, reports and renderer, AWS in moto, Slack faked.
describeWithServices('/s3 end to end against moto', () => {
  const name = uniqueBucketName('slack-e2e');
  const quiet = uniqueBucketName('slack-e2e-quiet');
  // Configured, never created: S3 says it does not exist.
  const gone = uniqueBucketName('slack-e2e-gone');
  const sizes = { StandardStorage: 3_000_000_000, StandardIAStorage: 500_000_000 };
  const objects = 1_234;
  let bot: RunningBot;
  let redis: Redis;
  let metricCalls = 0;
  // Holds CloudWatch reads while closed, so a burst can be shown to arrive during one computation.
  let gate: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    await createBucket(name, { versioning: 'Enabled', encryption: { algorithm: 'AES256' }, publicAccessBlock: true, metricsConfigIds: ['EntireBucket'] });
    await createBucket(quiet);
    await putObjects(name, [
      { key: 'reports/provider-payment-1.pdf', size: 2_048, ageDays: 0.5 },
      { key: 'reports/provider-payment-2.pdf', size: 4_096, ageDays: 0.1 },
      { key: 'cases/old.pdf', size: 512, ageDays: 3 },
    ]);
    await putStorageMetrics(name, { days: 8, sizeBytesByStorageType: sizes, objects });
    const now = Date.now();
    await putRequestMetrics(
      name,
      'EntireBucket',
      Array.from({ length: 10 }, (_, i) => ({ at: new Date(now - (i + 2) * 60_000), AllRequests: 100, '4xxErrors': 4, '5xxErrors': 1 })),
    );

    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const config = testConfig([{ name, alias: 'e2e' }, { name: quiet }, { name: gone, alias: 'gone' }]);
    const logger = silentLogger();
    const real = createAwsPorts({ clients: createTestAwsClients(), cache: new RedisCache(redis, { keyPrefix: `test:${name}:` }), config, logger, now: () => new Date() });
    const aws: AwsPorts = {
      ...real,
      metrics: {
        getMetricData: async (queries, range) => {
          metricCalls += 1;
          await gate;
          return real.metrics.getMetricData(queries, range);
        },
      },
    };
    bot = await startTestBot({ config, features: defaultSlackFeatures(config), aws, redis, answers: { reuseMs: 0 } });
  });
  afterAll(async () => {
    await bot?.stop();
    redis?.disconnect();
  });

  async function ask(text: string): Promise<{ body: Record<string, unknown>; all: string }> {
    const ack = await bot.command(text);
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    const answer = await bot.slack.waitFor((c) => c.responseId === ack.responseId, 20_000);
    return { body: answer.body, all: JSON.stringify(answer.body) };
  }

  it('/s3 status answers in the channel with the object count, the size and the error rate', async () => {
    const { body, all } = await ask('status e2e');
    expect(body.response_type).toBe('in_channel');
    expect(all).toContain(formatCount(objects));
    expect(all).toContain(formatBytes(sizes.StandardStorage + sizes.StandardIAStorage));
    expect(all).toContain(formatPercent(50 / 1000));
    expect(all).toContain('status_refresh');
  });

  it('/s3 status of the fleet marks a configured bucket that does not exist, and only that one', async () => {
    const { all } = await ask('status');
    expect(all).toMatch(/\bgone\W* · does not exist in this AWS account/);
    expect(all.match(/does not exist in this AWS account/g)).toHaveLength(1);
  });

  it('/s3 uploads lists the newest objects first', async () => {
    const { all } = await ask('uploads e2e --limit 2');
    const newest = all.indexOf('provider-payment-2.pdf');
    const next = all.indexOf('provider-payment-1.pdf');
    expect(newest).toBeGreaterThan(-1);
    expect(next).toBeGreaterThan(newest);
    expect(all).not.toContain('cases/old.pdf');
  });

  it('/s3 errors reports the error rate of the seeded requests', async () => {
    const { all } = await ask('errors e2e --since 1h');
    expect(all).toContain(formatPercent(50 / 1000));
  });

  it('/s3 costs answers with figures in dollars', async () => {
    const { all } = await ask('costs');
    expect(all).toMatch(/\$\d/);
  });

  it('/s3 help lists every command, to the asker only', async () => {
    const { body, all } = await ask('help');
    expect(body.response_type).toBe('ephemeral');
    for (const verb of ['status', 'uploads', 'errors', 'costs']) expect(all).toContain(verb);
  });

  it('App Home shows every configured bucket', async () => {
    const ack = await bot.post(appHomeOpenedBody(), 'application/json');
    expect(ack.status).toBe(200);
    const publish = await bot.slack.waitFor((c) => c.method === 'views.publish', 20_000);
    const view = JSON.stringify(publish.body.view);
    expect(view).toContain('e2e');
    expect(view).toContain(quiet);
  });

  it('Refresh replaces the status message with a recomputed one', async () => {
    const { id, url } = bot.slack.responseUrl();
    const before = metricCalls;
    const ack = await bot.post(refreshBody('e2e', url));
    expect(ack.status).toBe(200);
    const replaced = await bot.slack.waitFor((c) => c.responseId === id, 20_000);
    expect(replaced.body.replace_original).toBe(true);
    expect(JSON.stringify(replaced.body)).toContain(formatCount(objects));
    expect(metricCalls).toBeGreaterThan(before);
  });

  it('50 concurrent /s3 status are all acknowledged while one computation runs, and CloudWatch is read as for one', async () => {
    const single = await (async () => {
      const start = metricCalls;
      await ask('status e2e');
      return metricCalls - start;
    })();
    expect(single).toBeGreaterThan(0);

    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const before = metricCalls;
    const acks = await Promise.all(Array.from({ length: 50 }, () => bot.command('status e2e')));
    expect(acks.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(acks.every((a) => a.text === '')).toBe(true);
    open();
    const answers = await Promise.all(acks.map((a) => bot.slack.waitFor((c) => c.responseId === a.responseId, 20_000)));
    expect(answers.every((a) => JSON.stringify(a.body).includes(formatCount(objects)))).toBe(true);
    expect(metricCalls - before).toBe(single);
  });
});
