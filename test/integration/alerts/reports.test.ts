// `/s3 alerts`, the firing lines of `/s3 status` and the App Home, through the real bot (startBot
// over HTTP, signed requests) reading alert state the worker left in Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { alertState, seedAlertStates } from '../../unit/alerts/alert-states.js';
import { ask, openAppHome, startMainBot } from '../../helpers/main-bot.js';
import { servicesEnv, testConfig } from '../../helpers/config.js';

describeWithServices('alert reports on the real bot', () => {
  let slack: FakeSlack;
  let bot: BotHandle;
  let redis: Redis;
  const docs = uniqueBucketName('reports-docs');
  const media = uniqueBucketName('reports-media');
  const run = `arep${Date.now()}`;

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(docs);
    await createBucket(media);
    redis = new Redis(redisUrl());
    const now = Date.now();
    const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    const later = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    await seedAlertStates(redis, `${run}:`, [
      alertState('server-errors', docs, { status: 'firing', episode: 1, version: 1, since: ago(25), finding: { rule: 'server-errors', count: 42, threshold: 5, periodMinutes: 5, periods: 1 }, updatedAt: ago(1) }),
      alertState('latency', media, { status: 'firing', episode: 1, version: 2, since: ago(90), snoozedUntil: later(120), snoozedBy: 'U0SNOOZER', finding: { rule: 'latency', averageMs: 6_200, thresholdMs: 5_000, forMinutes: 5 }, updatedAt: ago(30) }, 'warning'),
      alertState('error-rate', media, { status: 'resolved', episode: 1, version: 2, since: ago(300), resolvedAt: ago(240), finding: { rule: 'error-rate', rate: 0.02, threshold: 0.1, forMinutes: 5, minRequests: 100 }, updatedAt: ago(5) }),
    ]);
    bot = await startMainBot(testConfig({ buckets: [{ name: docs, alias: 'docs' }, { name: media, alias: 'media' }], channels: { alerts: 'C0ALERTS' } }, servicesEnv(slack)), run);
  });

  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    const keys = await redis.keys(`${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('/s3 alerts lists what fires, what is snoozed and by whom, and what resolved today', async () => {
    const { all } = await ask(bot, slack, 'alerts');
    expect(all).toContain('Firing (1)');
    expect(all).toContain(`\`server-errors\` on *docs (${docs})*`);
    expect(all).toContain('42');
    expect(all).toContain('Snoozed (1)');
    expect(all).toMatch(/snoozed by \S*U0SNOOZER/);
    expect(all).toContain('Resolved in the last 24 h (1)');
    expect(all).toContain(`\`error-rate\` on *media (${media})*`);
  });

  it('/s3 status of a bucket shows its firing alert', async () => {
    const { all } = await ask(bot, slack, 'status docs');
    expect(all).toContain('Firing alerts (1)');
    expect(all).toContain('`server-errors`: *42* server errors');
    const quiet = await ask(bot, slack, `status ${media}`);
    // Snoozed is still firing: status shows it; the resolved one is not there.
    expect(quiet.all).toContain('`latency`');
    expect(quiet.all).not.toContain('`error-rate`');
  });

  it('the App Home counts the firing alerts on each bucket\'s line', async () => {
    const view = await openAppHome(bot, slack);
    expect(view).toMatch(/:red_circle: \*docs\*[^\n]*· 1 alert firing/);
    expect(view).toMatch(/\*media\*[^\n]*· 1 alert firing/);
  });
}, ['moto', 'redis']);
