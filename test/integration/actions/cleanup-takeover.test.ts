// cleanup.takeoverSeconds reaches the cleanup worker as its lock: how long a dead process's job
// stays locked, and how often the worker looks for lapsed locks. The kill-and-restart test
// (cleanup-restart.test.ts) shows the takeover itself.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { startCleanupRole } from '../../../src/jobs/cleanup-worker.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { testConfig } from '../../helpers/config.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices('cleanup.takeoverSeconds', () => {
  const clients = createTestAwsClients();
  const connections: Redis[] = [];
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    clients.release();
  });

  const lockOf = async (cleanup: Record<string, unknown> | undefined) => {
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    connections.push(connection);
    const config = testConfig({ buckets: [{ name: 'takeover-bucket' }], ...(cleanup ? { cleanup } : {}) });
    const role = startCleanupRole({ config, logger: silentLogger(), connection, prefix: `takeover-${randomUUID().slice(0, 8)}`, s3: clients.s3 });
    try {
      return { lockDuration: role.worker.opts.lockDuration, stalledInterval: role.worker.opts.stalledInterval };
    } finally {
      await role.close();
    }
  };

  it('is 30 s when unset, and the configured value otherwise, for both the lock and the check for lapsed ones', async () => {
    expect(await lockOf(undefined)).toEqual({ lockDuration: 30_000, stalledInterval: 30_000 });
    expect(await lockOf({ takeoverSeconds: 7 })).toEqual({ lockDuration: 7_000, stalledInterval: 7_000 });
  });
});
