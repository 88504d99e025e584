import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot } from '../../../src/main.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from './harness.js';

// The composition root as `s3-chatops start --role bot` runs it, in-process.
describeWithServices('startBot', () => {
  let slack: FakeSlack;
  const saved = { ...process.env };

  beforeAll(async () => {
    slack = await startFakeSlack();
    // The AWS SDK reads credentials from the environment, as in production.
    Object.assign(process.env, awsTestEnv());
  });
  afterAll(async () => {
    process.env = saved;
    await slack.stop();
  });

  it('serves health, acknowledges a signed command, and stops on SIGTERM with exit status 0', async () => {
    const env = awsTestEnv();
    const config = testConfig([{ name: 'main-test-bucket' }], { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL! });
    const exits: number[] = [];
    const bot = await startBot(config, silentLogger(), { port: 0, exit: (code) => exits.push(code) });
    const url = `http://127.0.0.1:${bot.port}`;
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const { url: responseUrl } = slack.responseUrl();
      const ack = await postSigned(`${url}/slack/events`, slashCommandBody('nonsense-verb', responseUrl), { signingSecret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      expect((ack.json() as { response_type: string }).response_type).toBe('ephemeral');

      process.emit('SIGTERM');
      await expect.poll(() => exits, { timeout: 5_000 }).toEqual([0]);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      await bot.stop();
    }
  });

  it('starts and stays up while Redis is unreachable, reporting not ready', async () => {
    const config = testConfig([{ name: 'main-test-bucket' }], { SLACK_API_URL: slack.apiUrl, REDIS_URL: 'redis://127.0.0.1:1' });
    const bot = await startBot(config, silentLogger(), { port: 0, handleSignals: false });
    try {
      const url = `http://127.0.0.1:${bot.port}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { redis: { ok: false } } });
    } finally {
      await bot.stop();
    }
  });
});
