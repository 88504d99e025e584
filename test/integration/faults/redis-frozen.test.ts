// A Redis that accepts connections and never answers (a TCP proxy that stops forwarding), in front
// of the real bot (startBot over HTTP, signed requests): `/s3 alerts`, Acknowledge and Snooze answer
// within seconds with a message that says Redis did not answer, and work again once it answers.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pressAlertButton } from '../../../src/alerts/actions.js';
import { AlertStore } from '../../../src/alerts/store.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createRedisConnection } from '../../../src/lib/redis.js';
import type { BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFrozenRedisProxy, type FrozenTcpProxy } from '../../helpers/frozen-tcp.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { alertState, seedAlertStates } from '../../unit/alerts/alert-states.js';
import { deleteButtonValue, pressButton } from '../actions/bot.js';
import { seedCleanupBucket } from '../actions/seed-cleanup.js';
import { ask, startMainBot } from '../../helpers/main-bot.js';
import { SIGNING_SECRET, servicesEnv, testConfig } from '../../helpers/config.js';

/** Generous on a loaded 2-core machine; the command deadline is 2 s, a hang is unbounded. */
const ANSWER_BOUND_MS = 10_000;

describeWithServices('Redis open but not answering', () => {
  let slack: FakeSlack;
  let proxy: FrozenTcpProxy & { url: string };
  let bot: BotHandle;
  let redis: Redis;
  let store: AlertStore;
  const stateOf = async () => (await store.getStates([id]))[0];
  const bucket = uniqueBucketName('redis-frozen');
  const run = `rfrz${Date.now()}`;
  const id = `server-errors:${bucket}`;
  const value = (hours?: number) => JSON.stringify({ id, episode: 1, ...(hours ? { hours } : {}) });
  const press = (actionId: string, buttonValue: string, messageBlocks?: unknown[]) =>
    pressButton(`http://127.0.0.1:${bot.port}/slack/events`, slack, actionId, buttonValue, { user: 'U0ONCALL', signingSecret: SIGNING_SECRET, ...(messageBlocks ? { messageBlocks } : {}) });
  const answerTo = async (responseId: string) => String((await slack.waitFor((c) => c.responseId === responseId, ANSWER_BOUND_MS + 5_000)).body.text);

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(bucket);
    const testFiles = await seedCleanupBucket('redis-frozen-tests', { old: 2, recent: 0, outside: 0 });
    redis = new Redis(redisUrl());
    store = await seedAlertStates(redis, `${run}:`, [alertState('server-errors', bucket, { status: 'firing', episode: 1, version: 1, since: new Date(Date.now() - 600_000).toISOString(), finding: { rule: 'server-errors', count: 42, threshold: 5, periodMinutes: 5, periods: 1 } })]);
    proxy = await startFrozenRedisProxy(redisUrl());
    const config = testConfig({ buckets: [{ name: bucket, alias: 'docs' }, { name: testFiles.bucket, alias: 'tests' }], channels: { alerts: 'C0ALERTS' }, cleanup: { olderThanDays: 7, allowedUsers: ['U0ONCALL'] } }, servicesEnv(slack));
    bot = await startMainBot({ ...config, env: { ...config.env, REDIS_URL: proxy.url } }, run);
  }, 60_000);

  afterAll(async () => {
    proxy?.pass();
    const cleanups = new Queue(CLEANUP_QUEUE, { connection: redis, prefix: run });
    await cleanups.obliterate({ force: true }).catch(() => undefined);
    await cleanups.close();
    await bot?.stop();
    await proxy?.stop();
    await slack?.stop();
    const keys = await redis.keys(`${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('/s3 alerts, Acknowledge and Snooze answer within seconds while Redis is frozen, and work once it answers', async () => {
    proxy.freeze();
    let started = Date.now();
    const frozenAlerts = await ask(bot, slack, 'alerts', ANSWER_BOUND_MS + 5_000);
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    expect(frozenAlerts.all).toContain('Redis did not answer');

    started = Date.now();
    const ack = await press('alert_acknowledge', value());
    expect(ack.status).toBe(200);
    expect(await answerTo(ack.responseId)).toContain('Redis did not answer within 2 s; nothing was changed, try again.');
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);

    started = Date.now();
    const snooze = await press('alert_snooze_1h', value(1));
    expect(await answerTo(snooze.responseId)).toContain('Redis did not answer');
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    // Nothing was changed while Redis did not answer.
    expect(await stateOf()).toMatchObject({ snoozedBy: null, acknowledgedBy: null, version: 1 });

    proxy.pass();
    await expect.poll(async () => (await ask(bot, slack, 'alerts')).all, { timeout: 20_000, interval: 500 }).toContain('Firing (1)');
    const snoozed = await press('alert_snooze_1h', value(1));
    expect(snoozed.status).toBe(200);
    await expect.poll(async () => (await stateOf())?.snoozedBy, { timeout: 10_000 }).toBe('U0ONCALL');
    expect(slack.responsesTo(snoozed.responseId)).toEqual([]);
  }, 90_000);

  it('an Acknowledge whose commit is held up past its deadline is not applied when Redis answers again', async () => {
    // The bot's own kind of connection (2 s command timeout) through the proxy, to freeze between read and commit.
    const held = createRedisConnection(proxy.url, silentLogger());
    await new Promise((resolve) => held.once('ready', resolve));
    const heldStore = new AlertStore(held, { keyPrefix: `${run}:` });
    const before = await stateOf();
    // Freeze once Redis's clock is read: the commit (carrying its deadline) waits in the socket.
    const store = Object.assign(Object.create(heldStore) as AlertStore, {
      redisTimeMs: async () => {
        const ms = await heldStore.redisTimeMs();
        proxy.freeze();
        return ms;
      },
    });
    const enqueued: unknown[] = [];
    const pressed = pressAlertButton({ store, enqueue: async (events) => void enqueued.push(...events), now: () => new Date() }, id, before!.episode, { kind: 'acknowledge', user: 'U0LATE' });
    await expect(pressed).rejects.toThrow(/timed out/);
    // Past the deadline the commit carries, then Redis answers: the waiting commit runs now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    proxy.pass();
    expect(await held.ping()).toBe('PONG');
    expect(await stateOf()).toMatchObject({ version: before!.version, acknowledgedBy: null });
    expect(enqueued).toEqual([]);
    held.disconnect();
  }, 30_000);

  it('Delete while Redis is frozen says nothing was deleted within seconds, and the next press once it answers queues the cleanup', async () => {
    const cleanups = new Queue(CLEANUP_QUEUE, { connection: redis, prefix: run });
    // The Delete button of a real preview: it carries the plan the bot sealed.
    const preview = await ask(bot, slack, 'cleanup tests');
    const blocks = preview.body.blocks as unknown[];
    const confirm = deleteButtonValue(blocks);
    if (confirm === undefined) throw new Error(`the preview has no Delete button: ${preview.all.slice(0, 300)}`);
    proxy.freeze();
    const started = Date.now();
    const frozen = await press('cleanup_confirm', confirm, blocks);
    expect(await answerTo(frozen.responseId)).toContain('Nothing was deleted');
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);

    proxy.pass();
    // Pressed again once Redis answers: the cleanup is queued, not refused as already confirmed.
    await expect
      .poll(
        async () => {
          const again = await press('cleanup_confirm', confirm, blocks);
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          const told = slack.responsesTo(again.responseId).map((c) => String(c.body.text));
          return { queued: (await cleanups.getJobs(['waiting', 'active', 'delayed', 'completed'])).length, told };
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatchObject({ queued: 1, told: [] });
    await cleanups.close();
  }, 90_000);
});
