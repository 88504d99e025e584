import type { CommandContext } from '../../../src/commands/types.js';
import type { Config } from '../../../src/config/load.js';
import { silentLogger, type Logger } from '../../../src/lib/logger.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { createSlackApp, type CreateSlackAppOptions, type SlackApp } from '../../../src/slack/app.js';
import type { SlackFeatures } from '../../../src/slack/features.js';
import type { RedisPing } from '../../../src/slack/health.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { SIGNING_SECRET } from '../../helpers/config.js';
import { slashCommandBody } from '../../helpers/slack-bodies.js';
import { postSigned } from '../../helpers/slack-sign.js';

export { SIGNING_SECRET, testConfig } from '../../helpers/config.js';
export { appHomeOpenedBody, refreshBody, slashCommandBody, uniqueTriggerId } from '../../helpers/slack-bodies.js';

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
  /** Where the bot logs; silent by default. */
  logger?: Logger;
}

/** Runs the real Bolt app over HTTP on a free port, talking to a fake Slack. */
export async function startTestBot(options: StartBotOptions): Promise<RunningBot> {
  const slack = await startFakeSlack();
  options.beforeStart?.(slack);
  const config = { ...options.config, slack: { ...options.config.slack, apiUrl: slack.apiUrl } };
  const logger = options.logger ?? silentLogger();
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
