import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { readAccessLogWindow, withinBudget } from '../../../src/access-logs/read-window.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';
import type { LoggingFact, LogObjectSummary } from '../../../src/aws/ports.js';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';

const logging: LoggingFact = { targetBucket: 'logs', targetPrefix: 'l/', partitioned: false };
const NOW = Date.parse('2026-12-03T12:00:00Z');
/** Ten objects of 100 bytes, one an hour, oldest first (as findLogObjects gives them). */
const objects: LogObjectSummary[] = Array.from({ length: 10 }, (_, i) => {
  const delivered = new Date(NOW - (9 - i) * 3_600_000);
  return { key: `l/${deliveryStamp(delivered)}-X${i}`, etag: `e${i}`, size: 100, lastModified: delivered };
});

describe('withinBudget', () => {
  it('takes the newest objects first, up to the object budget, and says how far back it read', () => {
    const { chosen, stopped } = withinBudget(objects, { objects: 3, bytes: 1 << 20 }, logging);
    expect(chosen.map((o) => o.etag)).toEqual(['e9', 'e8', 'e7']);
    expect(stopped).toEqual({ budget: { objects: 3, bytes: 1 << 20 }, limit: 'objects', objectsRead: 3, bytesRead: 300, objectsNotRead: 7, readBackTo: new Date(NOW - 2 * 3_600_000) });
  });

  it('stops before the object that would pass the byte budget', () => {
    const { chosen, stopped } = withinBudget(objects, { objects: 100, bytes: 450 }, logging);
    expect(chosen).toHaveLength(4);
    expect(stopped).toMatchObject({ limit: 'bytes', objectsRead: 4, bytesRead: 400, objectsNotRead: 6 });
  });

  it('reads everything and says nothing when the window fits', () => {
    expect(withinBudget(objects, { objects: 10, bytes: 1_000 }, logging)).toEqual({ chosen: [...objects].reverse(), stopped: null });
  });
});

describe('reads shared across windows', () => {
  it('windows read together through the ports’ shared slots never have more objects in flight than the slots', async () => {
    const bucket = new MemoryLogBucket('logs');
    for (let h = 0; h < 40; h += 1) {
      const delivered = new Date(NOW - h * 3_600_000 - 60_000);
      bucket.put(`l/${deliveryStamp(delivered)}-X${h}`, `${logLine({ bucket: 'src', at: new Date(delivered.getTime() - 60_000), operation: 'REST.PUT.OBJECT', key: `k${h}`, status: 200 })}\n`, delivered);
    }
    let inFlight = 0;
    let most = 0;
    // A read that stays open for a few turns of the event loop, as a GetObject does.
    const slowObjects = {
      list: bucket.list.bind(bucket),
      async read(b: string, key: string) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        const body = await bucket.read(b, key);
        inFlight -= 1;
        return body;
      },
    };
    const ports = { objects: slowObjects, countsCache: memoryCache(), readSlots: pLimit(3) };
    const windows = await Promise.all(
      Array.from({ length: 5 }, () =>
        readAccessLogWindow({ ports, logging, source: { bucket: 'src', region: null }, start: new Date(NOW - 48 * 3_600_000), end: new Date(NOW), logger: silentLogger() }),
      ),
    );
    for (const w of windows) expect(w.uploads).toHaveLength(40);
    expect(most).toBe(3);
  });
});
