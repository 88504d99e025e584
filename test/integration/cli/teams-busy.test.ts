/**
 * The command line's Teams delivery of alert changes, when a worker holds the alert's Teams lock
 * the whole time: the command sends nothing itself and says the alert's cards wait on the queue,
 * rather than reporting nothing pending.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { cliTeamsAlerts } from '../../../src/notify/teams-now.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices(
  'the command line\'s Teams cards behind a worker\'s lock',
  () => {
    const run = `tbusy${Date.now()}`;
    let redis: Redis;
    let teams: FakeTeams;

    beforeAll(async () => {
      redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
      teams = await startFakeTeams();
    });
    afterAll(async () => {
      const keys = await redis.keys(`${run}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await teams.stop();
    });

    it('leaves the alert on the queue, and counts it as left, when the lock stays taken', async () => {
      const at = new Date('2026-03-02T10:00:00Z');
      const state = { ...initialState({ rule: 'server-errors', bucket: 'busy-bucket' }, 'critical', at), status: 'firing' as const, version: 1, episode: 1, since: at.toISOString(), value: 12, threshold: 10, text: '**12** 5xx errors', recent: [12] };
      const event: AlertEvent = { kind: 'fired', version: 1, at: at.toISOString(), state };
      const sleeps: number[] = [];
      const store = new AlertStore(redis, { keyPrefix: `${run}:`, destinations: ['slack', 'teams'] });
      expect(await store.commit([{ expectedVersion: 0, state, events: [event] }])).toBe('ok');
      const cli = cliTeamsAlerts({
        url: teams.url('s1g-busy'),
        redis,
        outbox: store.outbox('teams'),
        queuePrefix: run,
        message: { region: 'us-east-1' },
        logger: silentLogger(),
        retry: { attempts: 3, maxWaitMs: 1_000, sleep: async (ms) => void sleeps.push(ms) },
      });
      try {
        await cli.queue([event]);
        // A worker is sending this alert's cards: it holds the lock throughout.
        const held = await store.outbox('teams').lock(state.id, 60_000);
        expect(held).not.toBeNull();
        const before = teams.received.length;
        const outcome = await cli.send([state.id]);
        expect(outcome).toMatchObject({ sent: 0, left: [state.id] });
        expect(teams.received.length).toBe(before);
        expect(sleeps.length).toBeGreaterThan(0);
        await held!.release();
      } finally {
        await cli.close();
      }
    });
  },
  ['redis'],
);
