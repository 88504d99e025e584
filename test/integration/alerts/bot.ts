// The real bot (startBot, the composition root) for alert and digest tests: a config built the way
// the loader builds it, and `/s3` commands sent as signed requests with their answers read back.
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import type { FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { appHomeOpenedBody, slashCommandBody } from '../slack/harness.js';

export const BOT_SECRET = 'test-signing-secret-alert-reports';

/** A configuration from `file` (the YAML's content as an object), pointed at moto, Redis and the fake Slack. */
export function botConfig(file: Record<string, unknown>, slack: FakeSlack): Config {
  const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: BOT_SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0' });
  return { ...fileConfigSchema.parse(file), env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: BOT_SECRET, apiUrl: slack.apiUrl } };
}

/**
 * Starts the bot on a free port with its own Redis key and queue prefixes, once it is ready (its
 * Redis connection up). The AWS SDK reads credentials from the environment, as in production.
 */
export async function startTestBot(config: Config, run: string): Promise<BotHandle> {
  Object.assign(process.env, awsTestEnv());
  const bot = await startBot(config, silentLogger(), { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:` });
  for (let i = 0; i < 100; i += 1) {
    if ((await fetch(`http://127.0.0.1:${bot.port}/readyz`)).status === 200) return bot;
    await new Promise((r) => setTimeout(r, 100));
  }
  await bot.stop();
  throw new Error('the test bot did not become ready within 10 s');
}

/** Sends `/s3 <text>` and returns the answer posted to its response_url, and the answer as one string. */
export async function ask(bot: BotHandle, slack: FakeSlack, text: string, timeoutMs = 30_000): Promise<{ body: Record<string, unknown>; all: string }> {
  const { id, url } = slack.responseUrl();
  const ack = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, slashCommandBody(text, url), { signingSecret: BOT_SECRET });
  if (ack.status !== 200) throw new Error(`the bot answered /s3 ${text} with HTTP ${ack.status}`);
  // A reused answer comes in the acknowledgement itself; otherwise through the response_url.
  const body = ack.text !== '' ? (JSON.parse(ack.text) as Record<string, unknown>) : (await slack.waitFor((c) => c.responseId === id, timeoutMs)).body;
  return { body, all: JSON.stringify(body) };
}

/** Opens the App Home tab and returns the view the bot published, as one string. */
export async function openAppHome(bot: BotHandle, slack: FakeSlack, timeoutMs = 30_000): Promise<string> {
  const before = slack.callsOf('views.publish').length;
  const ack = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, appHomeOpenedBody(), { signingSecret: BOT_SECRET, contentType: 'application/json' });
  if (ack.status !== 200) throw new Error(`the bot answered app_home_opened with HTTP ${ack.status}`);
  const publish = await slack.waitFor((c) => c.method === 'views.publish' && slack.callsOf('views.publish').indexOf(c) >= before, timeoutMs);
  return JSON.stringify(publish.body.view);
}
