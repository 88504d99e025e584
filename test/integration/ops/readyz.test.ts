import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { testConfig } from '../slack/harness.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';

interface ReadyBody {
  status: string;
  checks: { redis: { ok: boolean; error?: string }; slack: { ok: boolean; error?: string } };
}

// The bot against a Redis of the test's own, which the test takes down and brings back.
describeWithServices('/readyz follows Redis', () => {
  const saved = { ...process.env };
  let redis: PrivateRedis;
  let slack: FakeSlack;
  let bot: BotHandle;
  let url: string;

  const ready = async (): Promise<{ status: number; body: ReadyBody }> => {
    const response = await fetch(`${url}/readyz`);
    return { status: response.status, body: (await response.json()) as ReadyBody };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    Object.assign(process.env, awsTestEnv());
    const config = testConfig([{ name: 'readyz-bucket' }], { SLACK_API_URL: slack.apiUrl, REDIS_URL: redis.url, AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL! });
    bot = await startBot(config, silentLogger(), { port: 0, handleSignals: false });
    url = `http://127.0.0.1:${bot.port}`;
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    await redis?.destroy();
    process.env = saved;
  });

  it('is ready, fails naming Redis while it is down (healthz still answers), and recovers when it is back', async () => {
    await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);

    await redis.stop();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.redis.error).toBeTruthy();
    expect(down.body.checks.slack.ok).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await redis.start();
    // ioredis reconnects on its own back-off (at most 5 s between attempts).
    await expect.poll(async () => (await ready()).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect((await ready()).body.checks.redis).toEqual({ ok: true });
  });
});
