// The real Bolt app with the actions wired (S3 client, cleanup queue and claim on real Redis), talking to a fake Slack.
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { queueCleanupStarter } from '../../../src/jobs/cleanup-start.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { CommandContext } from '../../../src/commands/types.js';
import type { Config } from '../../../src/config/load.js';
import { CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { createSlackApp, type SlackApp } from '../../../src/slack/app.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import type { SlackFeatures } from '../../../src/slack/features.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { createTestAwsClients, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, testConfig, uniqueTriggerId } from '../slack/harness.js';

export const ADMIN = 'U0ADMIN';
export const AUDIT_CHANNEL = 'C0AUDIT';
export const STATUS_CHANNEL = 'C2147483705';
export const STATUS_TS = '1700000000.000100';

/** A test configuration for one bucket, with an allowed user and an audit channel. */
export function actionsConfig(bucket: string): Config {
  return testConfig({ buckets: [{ name: bucket }], budget: { monthlyUsd: 200 }, cleanup: { olderThanDays: 7, allowedUsers: [ADMIN], includeUnmarked: false, takeoverSeconds: 30 }, channels: { audit: AUDIT_CHANNEL } });
}

export interface ActionsBot {
  slack: FakeSlack;
  bot: SlackApp;
  queue: Queue;
  redis: Redis;
  registry: Registry;
  config: Config;
  /** `POST /slack/events` of the running app. */
  eventsUrl: string;
  /** Presses a button as `user`, signed; returns the `response_url` id its answers go to. */
  press(actionId: string, value: string, options?: PressOptions): Promise<{ status: number; responseId: string }>;
  stop(): Promise<void>;
}

const fixture = new URL('../../fixtures/slack/block-actions-refresh.json', import.meta.url);

/** Starts the bot with a per-test queue prefix and key prefix. */
export async function startActionsBot(
  config: Config,
  prefixes: { queuePrefix: string; keyPrefix: string },
  options: {
    features?: SlackFeatures;
    /** Awaited before each PutObject the bot sends, so a test can hold an upload while it is running. */
    beforePut?: () => Promise<void>;
  } = {},
): Promise<ActionsBot> {
  const slack = await startFakeSlack();
  const withSlack: Config = { ...config, slack: { ...config.slack, apiUrl: slack.apiUrl } };
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  const queue = new Queue(CLEANUP_QUEUE, { connection: redis, prefix: prefixes.queuePrefix });
  const registry = new Registry();
  const logger = silentLogger();
  const clients = createTestAwsClients();
  const { s3 } = clients;
  const { beforePut } = options;
  if (beforePut) {
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') await beforePut();
        return next(args);
      },
      { step: 'initialize', name: 'holdPut' },
    );
  }
  const ctx: CommandContext = {
    config: withSlack,
    // The real ports against moto: a command's deadline reaches them as it does in production.
    aws: createAwsPorts({ clients, cache: new MemoryCache(), config: withSlack, logger, now: () => new Date() }),
    now: () => new Date(),
    logger,
    actions: { s3, monitor: new S3Monitor({ registry }), cleanup: queueCleanupStarter(queue, redis, prefixes.keyPrefix) },
  };
  const bot = createSlackApp({ config: withSlack, ctx, logger, features: options.features ?? defaultSlackFeatures(withSlack), clientOptions: { retryConfig: { retries: 0 } } });
  const { port } = await bot.start(0);
  const url = `http://127.0.0.1:${port}/slack/events`;
  return {
    slack,
    bot,
    queue,
    redis,
    registry,
    config: withSlack,
    eventsUrl: url,
    press: (actionId, value, options) => pressButton(url, slack, actionId, value, options),
    async stop() {
      await bot.stop();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      redis.disconnect();
      clients.release();
      await slack.stop();
    },
  };
}

export interface PressOptions {
  user?: string;
  messageTs?: string;
  signingSecret?: string;
  /** The Block Kit blocks of the message the button is pressed on (a preview), as Slack sends them; the fixture's status message otherwise. */
  messageBlocks?: unknown;
}

/** Presses a button of the app at `eventsUrl` as `user` (an allowed one by default), signed; answers go to a fresh `response_url` of `slack`. */
export async function pressButton(eventsUrl: string, slack: FakeSlack, actionId: string, value: string, options: PressOptions = {}): Promise<{ status: number; responseId: string }> {
  const payload = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, any>;
  const { id, url: responseUrl } = slack.responseUrl();
  const ts = options.messageTs ?? STATUS_TS;
  payload.user.id = options.user ?? ADMIN;
  payload.response_url = responseUrl;
  payload.trigger_id = uniqueTriggerId();
  payload.container.message_ts = ts;
  payload.message.ts = ts;
  if (options.messageBlocks !== undefined) payload.message.blocks = options.messageBlocks;
  payload.actions = [{ action_id: actionId, block_id: 'b', type: 'button', value, action_ts: `${Date.now() / 1000}`, text: { type: 'plain_text', text: actionId } }];
  const response = await postSigned(eventsUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { signingSecret: options.signingSecret ?? SIGNING_SECRET });
  return { status: response.status, responseId: id };
}

/** The `value` of the Delete button in a posted preview. */
export function deleteButtonValue(blocks: unknown): string | undefined {
  if (Array.isArray(blocks)) {
    for (const b of blocks) {
      const found = deleteButtonValue(b);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!blocks || typeof blocks !== 'object') return undefined;
  const element = blocks as Record<string, unknown>;
  if (element.action_id === 'cleanup_confirm' && typeof element.value === 'string') return element.value;
  for (const child of Object.values(element)) {
    const found = deleteButtonValue(child);
    if (found !== undefined) return found;
  }
  return undefined;
}
