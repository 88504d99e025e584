import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processScheduledTestUpload } from '../../../src/jobs/scheduled-test-upload.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';

describeWithServices('scheduled test upload feeds the test-upload alert (moto, Redis)', () => {
  let redis: Redis;
  let store: AlertStore;
  let bucket: string;
  const s3 = createTestAwsClients().s3;

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('scheduled-upload'));
    redis = new Redis(redisUrl());
    store = new AlertStore(redis, { keyPrefix: `test-sched-${randomUUID().slice(0, 8)}:` });
  });
  afterAll(() => {
    redis.disconnect();
    s3.destroy();
  });

  function deps(maxMs: number, events: AlertEvent[]) {
    const config = fileConfigSchema.parse({ buckets: [{ name: bucket }], alerts: { thresholds: { 'test-upload': { maxMs } } } });
    return { config, s3, store, enqueue: async (e: readonly AlertEvent[]) => void events.push(...e), logger: silentLogger(), now: () => new Date() };
  }

  it('a slow upload fires the alert once per slot, and a good one resolves it', async () => {
    const events: AlertEvent[] = [];
    const slow = deps(0.001, events);
    const first = await processScheduledTestUpload(slow, { bucket, slot: '2026-11-26T09:00:00.000Z' });
    expect(first?.ok).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['fired']);
    // The same slot again (a retried job): nothing more.
    await processScheduledTestUpload(slow, { bucket, slot: '2026-11-26T09:00:00.000Z' });
    expect(events).toHaveLength(1);
    const [state] = await store.getStates([`test-upload:${bucket}`]);
    expect(state).toMatchObject({ status: 'firing', rule: 'test-upload' });

    await processScheduledTestUpload(deps(60_000, events), { bucket, slot: '2026-11-26T10:00:00.000Z' });
    expect(events.map((e) => e.kind)).toEqual(['fired', 'resolved']);
  }, 60_000);
});
