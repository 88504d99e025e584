// The real bot (main.ts: Bolt over HTTP, Redis, the AWS clients and ports) with its AWS endpoint
// behind a fault proxy that tests and benchmarks stall, throttle and release, and a timed `/s3` ask.
import { COMMAND_DEADLINE_MS } from '../../../src/aws/deadlines.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsTestEnv, motoUrl, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';

/** An answer as the person sees it, and how long it took from the request. */
export interface TimedAnswer {
  ms: number;
  /** The acknowledgement's own body, or the one posted to response_url, as JSON. */
  text: string;
}

export interface BotBehindProxy {
  proxy: FaultProxy;
  slack: FakeSlack;
  bot: BotHandle;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Sends `/s3 <text>` signed and waits (up to `waitMs`) for its answer: the ack's own, or the one through response_url. */
  ask(text: string, waitMs?: number): Promise<TimedAnswer>;
  stop(): Promise<void>;
}

/** Starts the fault proxy in front of moto, the fake Slack, and the bot configured with `buckets`. */
export async function startBotBehindProxy(buckets: { name: string; alias?: string }[]): Promise<BotBehindProxy> {
  const saved = { ...process.env };
  const proxy = await startFaultProxy(motoUrl());
  const slack = await startFakeSlack();
  Object.assign(process.env, awsTestEnv());
  const config = testConfig(buckets, { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: proxy.url });
  const bot = await startBot(config, silentLogger(), { port: 0, handleSignals: false, drainTimeoutMs: 1_000 });
  const url = `http://127.0.0.1:${bot.port}`;
  return {
    proxy,
    slack,
    bot,
    url,
    async ask(text, waitMs = 4 * COMMAND_DEADLINE_MS) {
      const t0 = performance.now();
      const { id, url: responseUrl } = slack.responseUrl();
      const ack = await postSigned(`${url}/slack/events`, slashCommandBody(text, responseUrl), { signingSecret: SIGNING_SECRET });
      if (ack.status !== 200) throw new Error(`the bot answered /s3 ${text} with HTTP ${ack.status}`);
      if (ack.text !== '') return { ms: performance.now() - t0, text: ack.text };
      const call = await slack.waitFor((c) => c.responseId === id, waitMs);
      return { ms: performance.now() - t0, text: JSON.stringify(call.body) };
    },
    async stop() {
      await bot.stop();
      await slack.stop();
      await proxy.stop();
      process.env = saved;
    },
  };
}
