// The real bot (startMainBot: the composition root in process) with its AWS endpoint behind a
// fault proxy that tests and benchmarks stall, throttle and release, and a timed `/s3` ask.
import { randomUUID } from 'node:crypto';
import { COMMAND_DEADLINE_MS } from '../../../src/aws/deadlines.js';
import type { BotHandle } from '../../../src/main.js';
import { testConfig } from '../../helpers/config.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { ask, startMainBot } from '../../helpers/main-bot.js';
import { motoUrl, redisUrl } from '../../helpers/services.js';

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
  const config = testConfig(buckets, { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: proxy.url });
  const bot = await startMainBot(config, `proxy-${randomUUID().slice(0, 8)}`, { drainTimeoutMs: 1_000 });
  return {
    proxy,
    slack,
    bot,
    url: `http://127.0.0.1:${bot.port}`,
    async ask(text, waitMs = 4 * COMMAND_DEADLINE_MS) {
      const answer = await ask(bot, slack, text, waitMs);
      return { ms: answer.ms, text: answer.all };
    },
    async stop() {
      await bot.stop();
      await slack.stop();
      await proxy.stop();
      process.env = saved;
    },
  };
}
