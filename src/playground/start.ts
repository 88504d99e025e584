/**
 * The playground: the real bot and worker (same listeners, registry and actions as with Slack),
 * with the playground's server standing in for Slack on 127.0.0.1 and a chat page to use them.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { exitOnShutdownSignals } from '../lib/shutdown.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import type { DemoServices } from './demo.js';
import { PLAYGROUND_USER } from './slack-requests.js';
import { startPlaygroundServer } from './server.js';

/** The playground's queues and alert state live apart from a deployment's that may share its Redis. */
export const PLAYGROUND_QUEUE_PREFIX = 's3-chatops-playground';
export const PLAYGROUND_KEY_PREFIX = 's3-chatops-playground:';

export interface PlaygroundOptions {
  /** The page's port on 127.0.0.1 (0 picks a free one). */
  port: number;
  /** The demo's emulator and Redis, stopped with the playground. */
  demo?: DemoServices;
  /** Stop on SIGTERM/SIGINT and exit (default true). */
  handleSignals?: boolean;
}

/** A running playground. */
export interface PlaygroundHandle {
  /** The page: `http://127.0.0.1:PORT`. */
  url: string;
  stop(): Promise<void>;
}

/** The configuration the bot runs with in the playground: Slack is the playground, and its user may confirm cleanups. */
export function playgroundConfig(config: Config, slack: { botToken: string; signingSecret: string; apiUrl: string }): Config {
  return {
    ...config,
    slack,
    cleanup: { ...config.cleanup, allowedUsers: [...new Set([...config.cleanup.allowedUsers, PLAYGROUND_USER.id])] },
  };
}

/** Starts the page's server, then the worker and the bot pointed at it; on failure, stops what started. */
export async function startPlayground(config: Config, logger: Logger, options: PlaygroundOptions): Promise<PlaygroundHandle> {
  // Made up for this run: only the playground's server signs requests and takes the bot's calls.
  const botToken = `xoxb-playground-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(32).toString('hex');
  const channelNames: Record<string, string> = {};
  for (const [role, id] of Object.entries(config.channels)) if (id) channelNames[id] = role;
  const where = options.demo ? 'demo data in a local AWS emulator' : `your AWS account (${config.region})`;
  const server = await startPlaygroundServer({
    port: options.port,
    botToken,
    signingSecret,
    channelNames,
    about: `You are ${PLAYGROUND_USER.id}, allowed to confirm cleanups here. Reports read ${where}. Messages to the configured alert, digest and audit channels show here too.`,
    logger,
  });
  const played = playgroundConfig(config, { botToken, signingSecret, apiUrl: server.apiUrl });
  const stops: (() => Promise<void>)[] = [() => server.stop()];
  if (options.demo) stops.push(() => options.demo!.stop());
  const stop = async () => {
    // Bot first (no new presses), then the worker, the page and the demo's services.
    for (const step of stops.reverse()) await step().catch((error: unknown) => logger.warn({ err: error }, 'stopping a part of the playground failed'));
  };
  try {
    const registry = createMetricsRegistry();
    const { startWorker } = await import('../worker.js');
    const worker = await startWorker(played, logger, { handleSignals: false, registry, serveMetrics: false, queuePrefix: PLAYGROUND_QUEUE_PREFIX, keyPrefix: PLAYGROUND_KEY_PREFIX });
    stops.push(() => worker.stop());
    const { startBot } = await import('../main.js');
    const bot = await startBot(played, logger, { handleSignals: false, registry, port: 0, host: '127.0.0.1', queuePrefix: PLAYGROUND_QUEUE_PREFIX, alertKeyPrefix: PLAYGROUND_KEY_PREFIX });
    stops.push(() => bot.stop());
    server.connect(`http://127.0.0.1:${bot.port}/slack/events`);
  } catch (error) {
    await stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const handle = { url: server.url, stop: () => (stopping ??= stop()) };
  if (options.handleSignals ?? true) exitOnShutdownSignals({ logger, message: 'stopping the playground', stop: handle.stop });
  return handle;
}
