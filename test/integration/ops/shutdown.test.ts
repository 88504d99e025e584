import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, motoUrl, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/harness.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';

// `s3-chatops start --role bot` as a process, its AWS calls going through a proxy to moto that
// holds them, so a SIGTERM lands while a slash command's computation is running.
describeWithServices('shutdown of the bot process', () => {
  const bucket = uniqueBucketName('shutdown');
  let slack: FakeSlack;
  let proxy: FaultProxy;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    await createBucket(bucket);
    slack = await startFakeSlack();
    proxy = await new FaultProxy(motoUrl()).start();
  });
  afterEach(() => {
    proxy.release();
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    bot = undefined;
  });
  afterAll(async () => {
    await proxy?.stop();
    await slack?.stop();
  });

  async function startAndAsk(): Promise<{ responseId: string; url: string }> {
    bot = await startBotProcess(
      {
        ...awsTestEnv(),
        AWS_ENDPOINT_URL: proxy.url,
        SLACK_BOT_TOKEN: 'xoxb-shutdown-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        REDIS_URL: redisUrl(),
      },
      [{ name: bucket, alias: 'docs' }],
    );
    const url = `http://127.0.0.1:${bot.port}`;
    proxy.hold();
    const { id, url: responseUrl } = slack.responseUrl();
    const ack = await postSigned(`${url}/slack/events`, slashCommandBody('status docs', responseUrl), { signingSecret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    await proxy.whenHolding();
    return { responseId: id, url };
  }

  it('SIGTERM during a running command: stops taking requests, the answer still reaches response_url, exit 0', async () => {
    const { responseId, url } = await startAndAsk();
    bot!.child.kill('SIGTERM');
    await expect.poll(() => bot!.logs.some((l) => l.msg === 'stopping'), { timeout: 10_000 }).toBe(true);
    // New requests are refused while the running one is still held in the proxy.
    await expect.poll(() => fetch(`${url}/healthz`).then(() => 'answering', () => 'refused'), { timeout: 10_000 }).toBe('refused');
    expect(slack.responsesTo(responseId)).toEqual([]);
    expect(bot!.child.exitCode).toBeNull();

    proxy.release();
    const answer = await slack.waitFor((c) => c.responseId === responseId, 20_000);
    expect(JSON.stringify(answer.body)).toContain(bucket);
    expect(await bot!.exited).toBe(0);
    expect(bot!.logs.some((l) => l.msg === 'bot stopped')).toBe(true);
  });

  it('a second signal exits at once, without waiting for the running command', async () => {
    const { responseId } = await startAndAsk();
    bot!.child.kill('SIGTERM');
    await expect.poll(() => bot!.logs.some((l) => l.msg === 'stopping'), { timeout: 10_000 }).toBe(true);
    bot!.child.kill('SIGINT');
    expect(await bot!.exited).toBe(1);
    // It exited while the command's AWS calls were still held: the answer was never sent.
    expect(proxy.heldCount).toBeGreaterThan(0);
    expect(slack.responsesTo(responseId)).toEqual([]);
  });
});
