// The bot's alert channel as a destination of the alert store, on real Redis: with the bot's
// identity and `teams.alertChannel`, a committed change lands in its outbox as in Slack's and the
// webhook's, waits there until the bot's channel has it, and the bot's records of its card (the
// episode's message, the steps done) are its own.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { alertDestinations, SLACK_DESTINATION, TEAMS_BOT_DESTINATION, TEAMS_WEBHOOK_DESTINATION } from '../../../src/notify/destinations.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

const BOT = { appId: '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f', tenantId: '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5', password: 'unused' };

describeWithServices('the Teams bot\'s outbox', () => {
  let redis: Redis;
  const prefix = `tob${Date.now()}:`;

  beforeAll(() => {
    redis = new Redis(redisUrl());
  });

  afterAll(async () => {
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    redis.disconnect();
  });

  it('is a destination only with the channel and the bot\'s identity both set', () => {
    const env = envSchema.parse({ AWS_REGION: 'us-east-1', TEAMS_WEBHOOK_URL: 'https://example.logic.azure.com/workflows/x?sig=y' });
    const withChannel = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }], teams: { alertChannel: '19:alerts@thread.tacv2' } });
    expect(alertDestinations({ env, teams: withChannel.teams, teamsBot: BOT })).toEqual([SLACK_DESTINATION, TEAMS_WEBHOOK_DESTINATION, TEAMS_BOT_DESTINATION]);
    expect(alertDestinations({ env, teams: withChannel.teams })).toEqual([SLACK_DESTINATION, TEAMS_WEBHOOK_DESTINATION]);
    expect(alertDestinations({ env, teams: fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] }).teams, teamsBot: BOT })).toEqual([SLACK_DESTINATION, TEAMS_WEBHOOK_DESTINATION]);
  });

  it('gets every committed change, keeps it apart from the webhook\'s, and its step records leave with it', async () => {
    const store = new AlertStore(redis, { keyPrefix: prefix, destinations: [SLACK_DESTINATION, TEAMS_WEBHOOK_DESTINATION, TEAMS_BOT_DESTINATION] });
    const at = new Date();
    const state = { ...initialState({ rule: 'server-errors', bucket: 'apart' }, 'critical', at), status: 'firing' as const, version: 1, episode: 1 };
    const event: AlertEvent = { kind: 'fired', version: 1, at: at.toISOString(), state };
    expect(await store.commit([{ expectedVersion: 0, state, events: [event] }])).toBe('ok');
    const [webhook, bot] = [store.outbox(TEAMS_WEBHOOK_DESTINATION), store.outbox(TEAMS_BOT_DESTINATION)];
    expect(await bot.pendingIds()).toEqual([state.id]);

    await bot.recordPost(state.id, 1, 1, { channel: '19:c@thread.tacv2', ts: 'card-1' });
    await webhook.delivered(state.id, 1);
    // Sent to the webhook, still waiting for the bot, with the bot's post of it recorded.
    expect(await webhook.pendingIds()).toEqual([]);
    expect((await bot.next(state.id))?.version).toBe(1);
    expect(await bot.stepDone(state.id, 1, 'main')).toBe(true);
    expect(await webhook.messageRef(state.id, 1)).toBeNull();

    await bot.delivered(state.id, 1);
    expect(await bot.pendingIds()).toEqual([]);
    expect(await bot.stepDone(state.id, 1, 'main')).toBe(false);
    // The episode's card stays known for the changes after it; Slack's outbox still has the change.
    expect(await bot.messageRef(state.id, 1)).toEqual({ channel: '19:c@thread.tacv2', ts: 'card-1' });
    expect(await store.outbox(SLACK_DESTINATION).pendingIds()).toEqual([state.id]);
  });
}, ['redis']);
