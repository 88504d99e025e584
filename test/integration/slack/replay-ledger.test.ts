import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';
import { DeliveryLedger } from '../../../src/slack/dedupe.js';
import { deliveryKey } from '../../../src/slack/dedupe-key.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { commandBody } from './replay-bot.js';

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
      done();
    },
  });
  return { logger: createLogger({ destination }), lines };
}

describeWithServices(
  'the delivery ledger shared by replicas',
  () => {
    const clients: Redis[] = [];
    afterAll(() => {
      for (const c of clients) c.disconnect();
    });

    it('a delivery taken by one replica is refused by another through Redis; a new delivery is not', async () => {
      const keyPrefix = `ledger-${randomUUID().slice(0, 8)}:`;
      const replica = () => {
        const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
        clients.push(redis);
        return new DeliveryLedger({ redis, keyPrefix, now: () => new Date(), logger: capturedLogger().logger });
      };
      const [a, b] = [replica(), replica()];
      const body = Object.fromEntries(new URLSearchParams(commandBody('test docs', 'http://127.0.0.1:1/respond/r1')));
      const key = deliveryKey(body)!;
      expect(await a.claim(key)).toBe(true);
      expect(await b.claim(key)).toBe(false);
      expect(await a.claim(key)).toBe(false);
      const other = deliveryKey(Object.fromEntries(new URLSearchParams(commandBody('test docs', 'http://127.0.0.1:1/respond/r2'))))!;
      expect(other).not.toBe(key);
      expect(await b.claim(other)).toBe(true);
      const ttl = await clients[0]!.pttl(`${keyPrefix}delivery:${key}`);
      expect(ttl).toBeGreaterThan(9 * 60_000);
    });

    it('with Redis away, a replica still drops the copies it sees itself and says so once, not per request', async () => {
      // Nothing listens on port 1: every command fails at once (no offline queue).
      const redis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
      clients.push(redis);
      const { logger, lines } = capturedLogger();
      const ledger = new DeliveryLedger({ redis, now: () => new Date(), logger });
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      for (const key of keys) expect(await ledger.claim(key)).toBe(true);
      for (const key of keys) expect(await ledger.claim(key)).toBe(false);
      const warnings = lines.filter((l) => l.includes('Redis did not record a Slack delivery'));
      expect(warnings).toHaveLength(1);
    });
  },
  ['redis'],
);
