// The real Bolt app with the actions wired, the delivery ledger on real Redis, metrics and a captured log.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { CommandContext } from '../../../src/commands/types.js';
import type { Config } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { botMetrics, createMetricsRegistry } from '../../../src/metrics/index.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { createSlackApp, type SlackApp } from '../../../src/slack/app.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createAwsClients } from '../../../src/aws/clients.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { motoUrl, redisUrl, TEST_CREDENTIALS, TEST_REGION } from '../../helpers/services.js';
import { slackSignatureHeaders } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, uniqueTriggerId } from './harness.js';
import { startWriteGate, type WriteGate } from './replay-gate.js';

export interface ReplayBot {
  slack: FakeSlack;
  bot: SlackApp;
  registry: Registry;
  /** Between the bot and moto: counts and can hold object writes. */
  gate: WriteGate;
  eventsUrl: string;
  /** Every line the bot logged, parsed. */
  logLines: Record<string, unknown>[];
  /** Successful `s3_upload` writes so far (the test upload's write step). */
  uploads(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the bot with its own Redis key prefix and refused-request lines every `refusedLogIntervalMs`. */
export async function startReplayBot(config: Config, refusedLogIntervalMs: number): Promise<ReplayBot> {
  const slack = await startFakeSlack();
  const withSlack: Config = { ...config, slack: { ...config.slack, apiUrl: slack.apiUrl } };
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const metrics = botMetrics(registry);
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const gate = await startWriteGate(motoUrl());
  const clients = createAwsClients({ region: TEST_REGION, endpoint: gate.url, logger, credentials: { ...TEST_CREDENTIALS } });
  const { s3 } = clients;
  const aws = createAwsPorts({ clients, cache: new MemoryCache(), config: withSlack, logger, now: () => new Date() });
  const ctx: CommandContext = { config: withSlack, aws, now: () => new Date(), logger, actions: { s3, monitor: new S3Monitor({ registry }) } };
  const bot = createSlackApp({
    config: withSlack,
    ctx,
    logger,
    features: defaultSlackFeatures(withSlack),
    clientOptions: { retryConfig: { retries: 0 } },
    metrics,
    deliveries: { redis, keyPrefix: `replay-${randomUUID().slice(0, 8)}:` },
    refusedLogIntervalMs,
  });
  const { port } = await bot.start(0);
  return {
    slack,
    bot,
    registry,
    gate,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    logLines,
    async uploads() {
      return Number(/utility_operations_total\{operation="s3_upload",status="success"\} (\d+)/.exec(await registry.metrics())?.[1] ?? 0);
    },
    async stop() {
      await bot.stop();
      redis.disconnect();
      clients.release();
      gate.open();
      await gate.stop();
      await slack.stop();
    },
  };
}

/** A request as Slack sends it: signed for `timestamp`, with any extra headers (a retry's). */
export async function postAsSlack(url: string, body: string, options: { timestamp?: number; headers?: Record<string, string>; signature?: string } = {}): Promise<number> {
  const headers = slackSignatureHeaders(body, SIGNING_SECRET, options.timestamp);
  if (options.signature) headers['x-slack-signature'] = options.signature;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers, ...options.headers }, body });
  await response.arrayBuffer();
  return response.status;
}

const fixtures = new URL('../../fixtures/slack/', import.meta.url);

/** `/s3 <text>` from the slash command fixture, as `user` with its own trigger_id and response_url. */
export function commandBody(text: string, responseUrl: string, user = 'U2147483697'): string {
  const params = new URLSearchParams(readFileSync(new URL('slash-command.txt', fixtures), 'utf8').trim());
  params.set('text', text);
  params.set('response_url', responseUrl);
  params.set('user_id', user);
  params.set('trigger_id', uniqueTriggerId());
  return params.toString();
}

/** One press of `actionId` on the status message, from the block_actions fixture; the same bytes each time it is sent. */
export function pressBody(actionId: string, value: string, responseUrl: string, messageTs: string): string {
  const payload = JSON.parse(readFileSync(new URL('block-actions-refresh.json', fixtures), 'utf8')) as Record<string, any>;
  payload.response_url = responseUrl;
  payload.trigger_id = uniqueTriggerId();
  payload.container.message_ts = messageTs;
  payload.message.ts = messageTs;
  payload.actions = [{ action_id: actionId, block_id: 'b', type: 'button', value, action_ts: `${Date.now() / 1000}`, text: { type: 'plain_text', text: actionId } }];
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
