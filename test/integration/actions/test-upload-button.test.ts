// The Run test upload button and `/s3 test` are one command: pressed or typed, against the real Bolt
// app, moto and a fake Slack, they give the same result and the same refusals.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { BUSY_TEXT } from '../../../src/slack/replies.js';
import type { RecordedCall } from '../../helpers/fake-slack.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { waitFor } from '../../helpers/wait.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, startTestBot, testConfig, type RunningBot } from '../slack/harness.js';
import { actionsConfig, pressButton, startActionsBot, type ActionsBot } from './bot.js';

const PREFIX = '_s3-chatops/test/';

/** What a test upload answer shows, without what changes from one upload to the next (times, the key). */
function shape(blocks: unknown): string {
  return JSON.stringify(blocks)
    .replace(new RegExp(`${PREFIX}[^\`"]+`, 'g'), 'KEY')
    .replace(/\d+(\.\d+)?\s?(ms|s)\b/g, 'T');
}

describeWithServices('Run test upload and /s3 test: one command', () => {
  describe('in a process that can upload', () => {
    let bucket: string;
    let bot: ActionsBot;
    // Closed, it holds the bot's uploads at their write; `held` says one is waiting there.
    let hold: Promise<void> = Promise.resolve();
    let release: () => void = () => undefined;
    let held = false;
    const uploads = async () => Number(/utility_operations_total\{operation="s3_upload",status="success"\} (\d+)/.exec(await bot.registry.metrics())?.[1] ?? 0);

    beforeAll(async () => {
      bucket = await createBucket(uniqueBucketName('test-button'));
      const beforePut = async () => {
        held = true;
        await hold;
        held = false;
      };
      bot = await startActionsBot(actionsConfig(bucket), { queuePrefix: `test-button-${randomUUID().slice(0, 8)}`, keyPrefix: `test-button-${randomUUID().slice(0, 8)}:` }, { beforePut });
    }, 60_000);
    afterAll(async () => {
      release();
      await bot?.stop();
    });

    const typed = async (text: string): Promise<RecordedCall> => {
      const { id, url } = bot.slack.responseUrl();
      const response = await postSigned(bot.eventsUrl, slashCommandBody(text, url), { signingSecret: SIGNING_SECRET });
      expect(response.status).toBe(200);
      return bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
    };

    it('answer with the same message: the steps, their times and the key written', async () => {
      const pressedAt = Date.now();
      await bot.press('test_upload', bucket);
      const pressed = await bot.slack.waitFor((c) => c.method === 'chat.update' && c.at >= pressedAt && String(c.body.text).includes('Test upload to'), 30_000);
      const answered = await typed(`test ${bucket}`);
      expect(String(answered.body.text)).toContain('worked');
      expect(shape(pressed.body.blocks)).toBe(shape(answered.body.blocks));
    }, 60_000);

    it('pressed while `/s3 test` runs, the press joins that upload and gets its result: one upload, not two', async () => {
      const before = await uploads();
      const { id, url } = bot.slack.responseUrl();
      hold = new Promise((resolve) => (release = resolve));
      const typedAck = await postSigned(bot.eventsUrl, slashCommandBody(`test ${bucket}`, url), { signingSecret: SIGNING_SECRET });
      expect(typedAck.status).toBe(200);
      await waitFor(() => held, undefined, { message: 'the typed upload never reached its write' });
      const press = await bot.press('test_upload', bucket);
      release();
      const typedAnswer = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
      const pressAnswer = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === press.responseId, 30_000);
      const keyOf = (call: RecordedCall) => new RegExp(`(${PREFIX}[^\`"]+)`).exec(JSON.stringify(call.body.blocks))?.[1];
      expect(keyOf(typedAnswer)).toBeDefined();
      expect(keyOf(pressAnswer)).toBe(keyOf(typedAnswer));
      expect(pressAnswer.body.response_type).toBe('ephemeral');
      expect(JSON.stringify(pressAnswer.body.blocks)).toContain('was already running when you asked; this is its result');
      expect(await uploads()).toBe(before + 1);
    }, 60_000);
  });

  describe('refusals', () => {
    let bucket: string;
    let bot: RunningBot;
    let open: () => void = () => undefined;
    let gate: Promise<void> = Promise.resolve();

    beforeAll(async () => {
      bucket = await createBucket(uniqueBucketName('test-button-refused'));
      const config = testConfig([{ name: bucket, alias: 'docs' }, { name: uniqueBucketName('test-button-other') }]);
      const logger = silentLogger();
      const real = createAwsPorts({ clients: createTestAwsClients(), cache: new MemoryCache(), config, logger, now: () => new Date() });
      // Holds S3 reads while closed, so one `/s3 status` can keep the bot's only slot.
      const aws: AwsPorts = { ...real, facts: { getFacts: async (b, o) => (await gate, real.facts.getFacts(b, o)) } };
      // No S3 client for actions in this process, and room for one computation at a time.
      bot = await startTestBot({ config, features: defaultSlackFeatures(config), aws, answers: { reuseMs: 0, concurrency: 1, maxQueue: 0 } });
    }, 60_000);
    afterAll(async () => {
      open();
      await bot?.stop();
    });

    /** The text of the first answer to a press. */
    const pressed = async (value: string): Promise<Record<string, unknown>> => {
      const { responseId } = await pressButton(`${bot.url}/slack/events`, bot.slack, 'test_upload', value);
      return (await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === responseId, 20_000)).body;
    };

    it('where this process cannot upload: the same sentence, to the asker alone', async () => {
      const press = await pressed(bucket);
      const typed = await bot.answer(await bot.command('test docs'));
      expect(typed.response_type).toBe('ephemeral');
      expect(press.response_type).toBe('ephemeral');
      expect(String(typed.text)).toContain('Test uploads cannot run from here');
      expect(press.text).toBe(typed.text);
      // The thread's "running" line does not stay so.
      const ended = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).includes('did not complete'));
      expect(String(ended.body.text)).toContain('Test uploads cannot run from here');
    });

    it('a bucket that is not configured: the same sentence', async () => {
      const press = await pressed('surgicase-gone');
      const typed = await bot.answer(await bot.command('test surgicase-gone'));
      expect(String(typed.text)).toContain('Unknown bucket');
      expect(press.text).toBe(typed.text);
    });

    it('while the bot is answering as many questions as it may: both told it is busy, and nothing runs', async () => {
      const start = Date.now();
      gate = new Promise((resolve) => (open = resolve));
      const holding = await bot.command('status docs');
      expect(holding.status).toBe(200);
      const press = await pressed(bucket);
      const typed = await bot.answer(await bot.command('test docs'));
      expect(typed.text).toBe(BUSY_TEXT);
      expect(press.text).toBe(BUSY_TEXT);
      expect(bot.slack.callsOf('chat.postMessage').filter((c) => c.at >= start)).toEqual([]);
      open();
      await bot.answer(holding);
    });
  });
});
