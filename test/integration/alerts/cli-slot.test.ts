// `alerts evaluate --post` in process, over real Redis under a key prefix of its own and AWS ports
// that answer from memory: which runs count as one evaluation, and what a person is told when
// another run already evaluated the moment.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAlertsEvaluate, type AlertsCliDeps } from '../../../src/cli/alerts.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { Notifier } from '../../../src/notify/notifier.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { fakePorts } from '../../unit/cli/fakes.js';
import { testConfig } from '../slack/harness.js';

describeWithServices('alerts evaluate --post, one run after another', () => {
  const prefix = `clislot${Date.now()}:`;
  let redis: Redis;
  const notifier: Notifier = {
    post: async () => ({ channel: 'C0', ts: '1.0' }),
    update: async () => undefined,
    reply: async () => undefined,
  };
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const run = async (at: Date): Promise<string> => {
    let out = '';
    const deps: AlertsCliDeps = {
      config: testConfig([{ name: 'docs-bucket', alias: 'docs' }], { REDIS_URL: redisUrl() }),
      aws: fakePorts(),
      redis,
      logger: silentLogger(),
      now: () => at,
      write: (text) => void (out += text),
      render: () => '',
      notifier,
      keyPrefix: prefix,
    };
    await runAlertsEvaluate(deps, true);
    return out;
  };

  it('evaluates two runs within the same second as two', async () => {
    const first = await run(new Date('2026-12-01T10:00:00.100Z'));
    const second = await run(new Date('2026-12-01T10:00:00.900Z'));
    for (const out of [first, second]) {
      expect(out).toMatch(/server-errors on docs/);
      expect(out).not.toContain('evaluated by another run');
    }
  });

  it('says so, and records nothing, when another run already evaluated a later moment', async () => {
    await run(new Date('2026-12-01T11:00:00.000Z'));
    const out = await run(new Date('2026-12-01T10:59:00.000Z'));
    expect(out).toContain('this bucket was evaluated by another run for this moment or a later one');
    expect(out).not.toMatch(/server-errors on docs/);
  });
}, ['redis']);
