import { createAwsClients } from './aws/clients.js';
import { createAwsPorts } from './aws/create-ports.js';
import type { CommandContext } from './commands/types.js';
import type { Config } from './config/load.js';
import type { Logger } from './lib/logger.js';
import { createRedisConnection } from './lib/redis.js';
import { RedisCache } from './lib/redis-cache.js';
import { createSlackApp, type CreateSlackAppOptions } from './slack/app.js';
import { defaultSlackFeatures } from './slack/default-features.js';

export interface StartBotOptions {
  /** Stop on SIGTERM/SIGINT and exit 0 (default true; tests running in-process turn it off). */
  handleSignals?: boolean;
  /** Overrides `config.env.PORT` (0 picks a free port). */
  port?: number;
  clientOptions?: CreateSlackAppOptions['clientOptions'];
  /** How the process ends after a signal; `process.exit` by default. */
  exit?: (code: number) => void;
}

/** A running bot: the port it listens on and how to stop it. */
export interface BotHandle {
  port: number;
  stop(): Promise<void>;
}

/** The bot's composition root: AWS clients and ports, Redis, the Slack app, started on PORT. */
export async function startBot(config: Config, logger: Logger, options: StartBotOptions = {}): Promise<BotHandle> {
  const now = () => new Date();
  const redis = createRedisConnection(config.env.REDIS_URL, logger);
  const clients = createAwsClients({ region: config.region, endpoint: config.env.AWS_ENDPOINT_URL, logger });
  const aws = createAwsPorts({ clients, cache: new RedisCache(redis), config, logger, now });
  const ctx: CommandContext = { config, aws, now, logger };
  const slack = createSlackApp({
    config,
    ctx,
    logger,
    features: defaultSlackFeatures(config),
    redis,
    clientOptions: options.clientOptions,
  });

  let started: { port: number };
  try {
    started = await slack.start(options.port ?? config.env.PORT);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  logger.info({ port: started.port, mode: config.slack.appToken ? 'socket' : 'http' }, 'bot started');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await slack.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the Slack app failed'));
      // QUIT fails at once while Redis is down (no offline queue); then just drop the socket.
      await redis.quit().catch(() => redis.disconnect());
      clients.s3.destroy();
      clients.cloudWatch.destroy();
      clients.costExplorer.destroy();
      logger.info('bot stopped');
    })();
    return stopping;
  };
  const exit = options.exit ?? ((code: number) => process.exit(code));
  function onSignal(signal: NodeJS.Signals): void {
    logger.info({ signal }, 'stopping');
    stop().then(
      () => exit(0),
      () => exit(1),
    );
  }
  if (options.handleSignals ?? true) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { port: started.port, stop };
}
