// The digest's alert source reads the states the worker commits, from real Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alertDigestSource, digestSources } from '../../../src/alerts/digest-source.js';
import { AlertStore } from '../../../src/alerts/store.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { alertState, seedAlertStates } from './alert-states.js';

const NOW = Date.parse('2026-03-10T09:00:00Z');
const SINCE = new Date(NOW - 24 * 3_600_000);
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();

describeWithServices('alertDigestSource on Redis', () => {
  let redis: Redis;
  const prefix = `digest-source-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    await seedAlertStates(redis, prefix, [
      // Fired 3 h ago and still firing.
      alertState('server-errors', 'docs', { status: 'firing', episode: 1, version: 1, since: iso(3) }),
      // Fired and resolved within the day.
      alertState('latency', 'docs', { status: 'resolved', episode: 2, version: 4, since: iso(10), resolvedAt: iso(8) }, 'warning'),
      // Resolved two days ago: not this digest's day.
      alertState('error-rate', 'docs', { status: 'resolved', episode: 1, version: 2, since: iso(50), resolvedAt: iso(49) }),
      // Firing since before the day began: firing now, but not fired today.
      alertState('size-quota', 'docs', { status: 'firing', episode: 1, version: 1, since: iso(30) }, 'warning'),
      // Another bucket's.
      alertState('server-errors', 'media', { status: 'firing', episode: 1, version: 1, since: iso(1) }),
      // Never fired.
      alertState('latency', 'media', { status: 'ok' }, 'warning'),
    ]);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts a bucket\'s alerts fired and resolved over the day, and names those firing now', async () => {
    const source = alertDigestSource(new AlertStore(redis, { keyPrefix: prefix }));
    const docs = await source.summary('docs', SINCE);
    expect(docs.fired).toBe(2);
    expect(docs.resolved).toBe(1);
    expect(docs.firing.map((f) => f.rule).sort()).toEqual(['server-errors', 'size-quota']);
    expect(docs.firing.find((f) => f.rule === 'server-errors')!.since).toEqual(new Date(iso(3)));
  });

  it('keeps buckets apart, and a bucket with no alert history has none', async () => {
    const source = alertDigestSource(new AlertStore(redis, { keyPrefix: prefix }));
    expect(await source.summary('media', SINCE)).toMatchObject({ fired: 1, resolved: 0, firing: [{ rule: 'server-errors' }] });
    expect(await source.summary('archive', SINCE)).toEqual({ fired: 0, resolved: 0, firing: [] });
  });

  it('digestSources reads alerts through the same source, passes the test uploads on, and leaves out what is absent', async () => {
    const testUploads = { summary: async () => ({ runs: 3, failures: 1 }) };
    const sources = digestSources({ alerts: new AlertStore(redis, { keyPrefix: prefix }), testUploads });
    expect(await sources.alerts!.summary('media', SINCE)).toMatchObject({ fired: 1, firing: [{ rule: 'server-errors' }] });
    expect(sources.testUploads).toBe(testUploads);
    expect(digestSources({ alerts: undefined, testUploads: undefined })).toEqual({});
  });
}, ['redis']);
