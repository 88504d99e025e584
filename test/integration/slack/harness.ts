import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CommandContext } from '../../../src/commands/types.js';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { createSlackApp, type CreateSlackAppOptions, type SlackApp } from '../../../src/slack/app.js';
import type { SlackFeatures } from '../../../src/slack/features.js';
import type { RedisPing } from '../../../src/slack/health.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { postSigned } from '../../helpers/slack-sign.js';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';

const fixtures = new URL('../../fixtures/slack/', import.meta.url);

/** The configuration a test bot runs with, built the way the loader builds it. */
export function testConfig(
  buckets: { name: string; alias?: string; region?: string; account?: string }[],
  env: Record<string, string> = {},
  /** More settings of the file (accounts, cleanup, …), validated with the rest. */
  settings: Record<string, unknown> = {},
): Config {
  const file = fileConfigSchema.parse({ buckets, budget: { monthlyUsd: 200 }, ...settings });
  const parsedEnv = envSchema.parse({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    AWS_REGION: 'us-east-1',
    PORT: '0',
    ...env,
  });
  return {
    ...file,
    env: parsedEnv,
    region: 'us-east-1',
    configFile: 'test.yml',
    slack: {
      botToken: parsedEnv.SLACK_BOT_TOKEN,
      signingSecret: parsedEnv.SLACK_SIGNING_SECRET,
      appToken: parsedEnv.SLACK_APP_TOKEN,
      apiUrl: parsedEnv.SLACK_API_URL,
    },
  };
}

/** A slash command body as Slack sends it (the fixture), with our text and response_url. */
export function slashCommandBody(text: string, responseUrl: string): string {
  const params = new URLSearchParams(readFileSync(new URL('slash-command.txt', fixtures), 'utf8').trim());
  params.set('text', text);
  params.set('response_url', responseUrl);
  // Slack gives every invocation its own trigger_id; the bot drops a second delivery of one.
  params.set('trigger_id', uniqueTriggerId());
  return params.toString();
}

/** The Refresh button's `block_actions` payload (the fixture) for a bucket and response_url. */
export function refreshBody(bucketValue: string, responseUrl: string): string {
  const payload = JSON.parse(readFileSync(new URL('block-actions-refresh.json', fixtures), 'utf8')) as {
    response_url: string;
    trigger_id: string;
    actions: { value: string }[];
  };
  payload.response_url = responseUrl;
  payload.trigger_id = uniqueTriggerId();
  payload.actions[0]!.value = bucketValue;
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A trigger_id shaped like Slack's, new on each call. */
export function uniqueTriggerId(): string {
  return `${Date.now()}.${randomInt(1e9)}.${randomBytes(8).toString('hex')}`;
}

/** The `app_home_opened` event callback (the fixture), as JSON. */
export function appHomeOpenedBody(): string {
  return readFileSync(new URL('event-app-home-opened.json', fixtures), 'utf8');
}

export interface RunningBot {
  slack: FakeSlack;
  bot: SlackApp;
  url: string;
  config: Config;
  /** Sends a signed `/s3 <text>`; returns the ack and the response_url id. */
  command(text: string, options?: { timestamp?: number; signature?: string }): Promise<{ status: number; text: string; responseId: string }>;
  /** The answer to a command: the acknowledgement's own body when it carries one (a reused answer), else what came to its response_url. */
  answer(ack: { text: string; responseId: string }): Promise<Record<string, unknown>>;
  post(body: string, contentType?: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  config: Config;
  features: SlackFeatures;
  aws: AwsPorts;
  redis?: RedisPing;
  answers?: CreateSlackAppOptions['answers'];
  /** Prepares the fake Slack before the app starts (e.g. to fail auth.test). */
  beforeStart?: (slack: FakeSlack) => void;
}

/** Runs the real Bolt app over HTTP on a free port, talking to a fake Slack. */
export async function startTestBot(options: StartBotOptions): Promise<RunningBot> {
  const slack = await startFakeSlack();
  options.beforeStart?.(slack);
  const config = { ...options.config, slack: { ...options.config.slack, apiUrl: slack.apiUrl } };
  const logger = silentLogger();
  const ctx: CommandContext = { config, aws: options.aws, now: () => new Date(), logger };
  const bot = createSlackApp({
    config,
    ctx,
    logger,
    features: options.features,
    redis: options.redis,
    answers: options.answers,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const { port } = await bot.start(0);
  const url = `http://127.0.0.1:${port}`;
  return {
    slack,
    bot,
    url,
    config,
    async command(text, signOptions = {}) {
      const { id, url: responseUrl } = slack.responseUrl();
      const response = await postSigned(`${url}/slack/events`, slashCommandBody(text, responseUrl), {
        signingSecret: SIGNING_SECRET,
        ...signOptions,
      });
      return { status: response.status, text: response.text, responseId: id };
    },
    async answer(ack) {
      if (ack.text !== '') return JSON.parse(ack.text) as Record<string, unknown>;
      return (await slack.waitFor((c) => c.responseId === ack.responseId)).body;
    },
    post(body, contentType) {
      return postSigned(`${url}/slack/events`, body, { signingSecret: SIGNING_SECRET, contentType });
    },
    async stop() {
      await bot.stop();
      await slack.stop();
    },
  };
}
