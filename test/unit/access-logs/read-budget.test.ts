import { describe, expect, it } from 'vitest';
import { withinBudget } from '../../../src/access-logs/read-window.js';
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
