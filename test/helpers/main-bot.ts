// The real bot in process (startBot, the composition root: Bolt over HTTP, Redis, the AWS clients
// and ports), for every test and benchmark that needs the whole bot, and `/s3` commands sent as
// signed requests with their answers read back. Its configuration: testConfig(file, servicesEnv(slack)),
// with AWS_ENDPOINT_URL pointing elsewhere than moto when a test puts a fault proxy in between.
import type { Config } from '../../src/config/load.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../src/main.js';
import type { FakeSlack } from './fake-slack.js';
import { SIGNING_SECRET } from './config.js';
import { awsTestEnv } from './services.js';
import { waitFor } from './wait.js';
import { postSigned } from './slack-sign.js';
import { appHomeOpenedBody, slashCommandBody } from './slack-bodies.js';

export interface MainBotOptions {
  /** How long the stop waits for requests in flight (the bot's default otherwise). */
  drainTimeoutMs?: number;
}

/**
 * Starts the bot on a free port with its own Redis key and queue prefixes, once it is ready (its
 * Redis connection up). The AWS SDK reads credentials from the environment, as in production.
 */
export async function startMainBot(config: Config, run: string, options: MainBotOptions = {}): Promise<BotHandle> {
  Object.assign(process.env, awsTestEnv());
  const bot = await startBot(config, silentLogger(), { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:`, ...options });
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${bot.port}/readyz`)).status === 200, undefined, { message: 'the test bot did not become ready' });
  } catch (error) {
    await bot.stop();
    throw error;
  }
  return bot;
}

/** An answer to `/s3 <text>`: its body, the body as one string, and how long it took from the request. */
export interface Answer {
  body: Record<string, unknown>;
  all: string;
  ms: number;
}

/** Sends `/s3 <text>` and returns the answer: the acknowledgement's own, or the one posted to its response_url. */
export async function ask(bot: Pick<BotHandle, 'port'>, slack: FakeSlack, text: string, timeoutMs = 30_000): Promise<Answer> {
  const t0 = performance.now();
  const { id, url } = slack.responseUrl();
  const ack = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, slashCommandBody(text, url), { signingSecret: SIGNING_SECRET });
  if (ack.status !== 200) throw new Error(`the bot answered /s3 ${text} with HTTP ${ack.status}`);
  // A reused answer comes in the acknowledgement itself; otherwise through the response_url.
  const body = ack.text !== '' ? (JSON.parse(ack.text) as Record<string, unknown>) : (await slack.waitFor((c) => c.responseId === id, timeoutMs)).body;
  return { body, all: JSON.stringify(body), ms: performance.now() - t0 };
}

/** Opens the App Home tab and returns the view the bot published, as one string. */
export async function openAppHome(bot: BotHandle, slack: FakeSlack, timeoutMs = 30_000): Promise<string> {
  const before = slack.callsOf('views.publish').length;
  const ack = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, appHomeOpenedBody(), { signingSecret: SIGNING_SECRET, contentType: 'application/json' });
  if (ack.status !== 200) throw new Error(`the bot answered app_home_opened with HTTP ${ack.status}`);
  const publish = await slack.waitFor((c) => c.method === 'views.publish' && slack.callsOf('views.publish').indexOf(c) >= before, timeoutMs);
  return JSON.stringify(publish.body.view);
}
