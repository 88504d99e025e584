// The webhook's and the bot's channel's outboxes on real Redis: the same change waits in each until
// that destination has it, and the bot's records of its card (the episode's message, the steps
// done) are its own and leave with the change.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { TEAMS_BOT_DESTINATION } from '../../../src/notify/teams-bot-delivery.js';
import { TeamsOutbox } from '../../../src/notify/teams-outbox.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices('the Teams outboxes', () => {
  let redis: Redis;
  const prefix = `tob${Date.now()}:`;

  beforeAll(() => {
    redis = new Redis(redisUrl());
  });

  afterAll(async () => {
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    redis.disconnect();
  });

  it('keep one change apart for the webhook and the bot, and the bot\'s step records leave with its change', async () => {
    const at = new Date();
    const state = { ...initialState({ rule: 'server-errors', bucket: 'apart' }, 'critical', at), status: 'firing' as const, version: 2, episode: 1 };
    const event: AlertEvent = { kind: 'acknowledged', version: 2, at: at.toISOString(), user: 'U1', state };
    const webhook = new TeamsOutbox(redis, prefix);
    const bot = new TeamsOutbox(redis, prefix, TEAMS_BOT_DESTINATION);
    expect(await webhook.add(event)).toBe(true);
    expect(await bot.add(event)).toBe(true);

    await bot.records.recordPost(state.id, 1, 1, { channel: '19:c@thread.tacv2', ts: 'card-1' });
    await bot.records.markStepDone(state.id, 2, 'main');
    await webhook.markSent(state.id, 2);
    // Sent to the webhook, still waiting for the bot, with the bot's edit of it recorded.
    expect(await webhook.pendingAlerts()).toEqual([]);
    expect(await bot.pendingAlerts()).toEqual([state.id]);
    expect((await bot.next(state.id))?.version).toBe(2);
    expect(await bot.records.stepDone(state.id, 2, 'main')).toBe(true);
    expect(await webhook.records.messageRef(state.id, 1)).toBeNull();
    expect(await bot.records.messageRef(state.id, 1)).toEqual({ channel: '19:c@thread.tacv2', ts: 'card-1' });

    await bot.markSent(state.id, 2);
    expect(await bot.pendingAlerts()).toEqual([]);
    expect(await bot.records.stepDone(state.id, 2, 'main')).toBe(false);
    // The episode's card stays known for the changes after it; a change sent is never queued again.
    expect(await bot.records.messageRef(state.id, 1)).toEqual({ channel: '19:c@thread.tacv2', ts: 'card-1' });
    expect(await bot.add(event)).toBe(false);
  });
}, ['redis']);
