// A Slack Web API that takes chat.postMessage and never answers, in front of the real bot (startBot):
// the Run test upload press still gets its answer within the Slack deadline, a press meanwhile joins
// its upload, and the next press after the stall runs a new upload.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { describeWithServices } from '../../helpers/services.js';
import { pressButton } from '../actions/bot.js';
import { startMainBot } from '../../helpers/main-bot.js';
import { SIGNING_SECRET, servicesEnv, testConfig } from '../../helpers/config.js';

describeWithServices('Slack Web API stall', () => {
  let slack: FakeSlack;
  let bot: BotHandle;
  let bucket: string;
  const press = (value: string) => pressButton(`http://127.0.0.1:${bot.port}/slack/events`, slack, 'test_upload', value, { signingSecret: SIGNING_SECRET });
  const answerOf = (responseId: string, timeoutMs: number) => slack.waitFor((c) => c.method === 'respond' && c.responseId === responseId, timeoutMs);

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('slack-stall'));
    slack = await startFakeSlack();
    bot = await startMainBot(testConfig({ buckets: [{ name: bucket }] }, servicesEnv(slack)), `slack-stall-${randomUUID().slice(0, 8)}`);
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
  });

  it('Run test upload with chat.postMessage stalled: answered through response_url within the deadline, and the next press runs', async () => {
    slack.stall('chat.postMessage');
    const pressedAt = Date.now();
    const first = await press(bucket);
    expect(first.status).toBe(200);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('Running a test upload'));

    // While the first press waits on Slack, a second press joins its upload: it is told so, with that upload's result.
    const second = await press(bucket);
    expect(JSON.stringify((await answerOf(second.responseId, 10_000)).body)).toContain('already running');

    // Three attempts of 5 s and the waits between them, then the upload: well inside 45 s on a loaded machine.
    const answer = await answerOf(first.responseId, 45_000);
    expect(Date.now() - pressedAt).toBeLessThan(45_000);
    expect(String(answer.body.text)).toContain('worked');
    expect(slack.callsOf('chat.postMessage').filter((c) => c.at >= pressedAt).length).toBe(3);

    // The stall ends: the next press runs a new upload and answers in the thread as usual.
    slack.resume('chat.postMessage');
    const after = Date.now();
    const third = await press(bucket);
    const done = await slack.waitFor((c) => c.method === 'chat.update' && c.at >= after && String(c.body.text).includes('Test upload to'), 30_000);
    expect(String(done.body.text)).toContain('worked');
    expect(slack.responsesTo(third.responseId).map((c) => JSON.stringify(c.body))).not.toContainEqual(expect.stringContaining('already running'));
  }, 120_000);

  it('a response_url that never answers is given up within the deadline: the next press is not refused', async () => {
    slack.resume('chat.postMessage');
    slack.stall('chat.postMessage');
    slack.stall('respond');
    const pressedAt = Date.now();
    await press(bucket);
    // Every way to answer hangs; the press ends once its calls time out, and the guard is free again.
    await expect.poll(() => slack.calls.filter((c) => c.method === 'respond' && c.at >= pressedAt).length, { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
    slack.resume('chat.postMessage');
    slack.resume('respond');
    const after = Date.now();
    await expect
      .poll(
        async () => {
          const next = await press(bucket);
          const answer = await answerOf(next.responseId, 10_000).catch(() => undefined);
          return JSON.stringify(answer?.body ?? '');
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .not.toContain('already running');
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.at >= after && String(c.body.text).startsWith('Running a test upload'), 30_000);
  }, 150_000);
});
