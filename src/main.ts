import { createFleet } from './aws/fleet.js';
import { cloudTrailPacer, createAwsPorts } from './aws/create-ports.js';
import type { CommandContext } from './commands/types.js';
import type { Config } from './config/load.js';
import type { Logger } from './lib/logger.js';
import { createRedisConnection } from './lib/redis.js';
import { closeSharedQueue } from './lib/close-queue.js';
import { openSharedQueue } from './lib/open-queue.js';
import { CLOSE_STEP_MS, closeRedis, closeWithin, DRAIN_BOUND_MS, roleStop, settlesWithin } from './lib/shutdown.js';
import { AlertStore } from './alerts/store.js';
import { scheduledTestUploadSource } from './jobs/test-upload-history.js';
import { enqueueAlertEvents } from './jobs/alert-processors.js';
import { openTeamsFeed } from './notify/teams-feed.js';
import { alertDestinations, botAlertsOn, TEAMS_BOT_DESTINATION, TEAMS_WEBHOOK_DESTINATION } from './notify/destinations.js';
import { NOTIFY_QUEUE } from './jobs/queues.js';
import { CLEANUP_QUEUE } from './jobs/cleanup-job.js';
import { queueCleanupStarter } from './jobs/cleanup-start.js';
import { S3Monitor } from './metrics/s3-monitor.js';
import { instrumentAwsClient } from './metrics/aws-middleware.js';
import { botMetrics } from './metrics/definitions.js';
import { countingSlackFetch } from './metrics/slack-fetch.js';
import { slackClientOptions } from './notify/slack-client.js';
import { createMetricsRegistry } from './metrics/registry.js';
import type { Registry } from 'prom-client';
import { RedisCache } from './lib/redis-cache.js';
import { createSlackApp, type CreateSlackAppOptions } from './slack/app.js';
import { defaultSlackFeatures } from './slack/default-features.js';
import { createTeamsEntry } from './teams/index.js';
import { TestUploadGuard } from './actions/test-upload-guard.js';
import type { Connections } from '@microsoft/agents-hosting';

export interface StartBotOptions {
  /** Stop on SIGTERM/SIGINT and exit 0 (default true; tests running in-process turn it off). */
  handleSignals?: boolean;
  /** Overrides `config.env.PORT` (0 picks a free port). */
  port?: number;
  /** Listens on this address alone (the playground: 127.0.0.1) rather than on every interface. */
  host?: string;
  clientOptions?: CreateSlackAppOptions['clientOptions'];
  /** How the process ends after a signal; `process.exit` by default. */
  exit?: (code: number) => void;
  /** The registry `/metrics` serves; a fresh one (with process metrics) by default. */
  registry?: Registry;
  /** On shutdown, how long answers already promised may take before the process stops anyway. */
  drainTimeoutMs?: number;
  /** BullMQ's key prefix of the notify queue, as the worker's (tests use one per run). */
  queuePrefix?: string;
  /** The alert store's key prefix, as the worker's. */
  alertKeyPrefix?: string;
  /** Where the Teams bot's outbound tokens come from; MSAL against TEAMS_AUTHORITY by default. */
  teamsConnections?: Connections;
}

/** Default bound of the shutdown drain: what is left of the 20 s shutdown bound after closing connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = DRAIN_BOUND_MS;

/** A running bot: the port it listens on and how to stop it. */
export interface BotHandle {
  port: number;
  stop(): Promise<void>;
}

/** The bot's composition root: AWS clients and ports, Redis, the Slack app, started on PORT. */
export async function startBot(config: Config, logger: Logger, options: StartBotOptions = {}): Promise<BotHandle> {
  const now = () => new Date();
  const metrics = botMetrics(options.registry ?? createMetricsRegistry());
  const redis = createRedisConnection(config.env.REDIS_URL, logger);
  const fleet = createFleet(config, { logger, instrument: instrumentAwsClient(metrics) });
  const aws = createAwsPorts({ clients: fleet.clients, places: fleet.places, cache: new RedisCache(redis), config, logger, now, trailPacer: (place) => cloudTrailPacer(redis, fleet.clients.endpoint ?? 'aws', place, logger) });
  // Button presses commit their changes into the outbox of every configured destination.
  const alertStore = new AlertStore(redis, { destinations: alertDestinations(config), ...(options.alertKeyPrefix ? { keyPrefix: options.alertKeyPrefix } : {}) });
  // Button presses queue their deliveries for the worker; a producer that fails fast while Redis is away.
  const notifyQueue = openSharedQueue(NOTIFY_QUEUE, redis, options.queuePrefix);
  notifyQueue.on('error', (error) => logger.warn({ err: error }, 'notify queue error'));
  // With a Teams webhook or the bot's alert channel, a press goes to Teams as soon as it is committed, whatever Slack's delivery is doing.
  const webhook = Boolean(config.env.TEAMS_WEBHOOK_URL);
  const teams = webhook || botAlertsOn(config)
    ? openTeamsFeed({
        connection: redis,
        ...(webhook ? { outbox: alertStore.outbox(TEAMS_WEBHOOK_DESTINATION) } : {}),
        ...(botAlertsOn(config) ? { botOutbox: alertStore.outbox(TEAMS_BOT_DESTINATION) } : {}),
        logger,
        ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}),
      })
    : undefined;
  // A confirmed cleanup is queued for the worker (it survives a restart); the claim shares this connection.
  const cleanupQueue = openSharedQueue(CLEANUP_QUEUE, redis, options.queuePrefix);
  cleanupQueue.on('error', (error) => logger.warn({ err: error }, 'cleanup queue error'));
  const actions = { s3: fleet.clients.s3, s3For: fleet.s3For, monitor: new S3Monitor({ registry: metrics.registry }), cleanup: queueCleanupStarter(cleanupQueue, redis, options.alertKeyPrefix), uploadGuard: new TestUploadGuard() };
  // `/s3 digest` reads the scheduled uploads' results from their queue, as the worker's digest does.
  const testUploads = scheduledTestUploadSource(config, { connection: redis, prefix: options.queuePrefix });
  const ctx: CommandContext = { config, aws, now, logger, alerts: alertStore, actions, ...(testUploads ? { testUploads } : {}) };
  const alertActions = { store: alertStore, now, enqueue: (events: Parameters<typeof enqueueAlertEvents>[1]) => enqueueAlertEvents({ notify: notifyQueue, teams: teams?.feed }, events, logger) };
  // The Teams bot answers on the same server, from the same context (one test upload per bucket for both).
  const teamsBot = config.teamsBot
    ? createTeamsEntry({ settings: config.teamsBot, ctx, logger, alertActions, registry: metrics.registry, ...(options.teamsConnections ? { connections: options.teamsConnections } : {}) })
    : undefined;
  const slack = createSlackApp({
    config,
    ctx,
    logger,
    features: defaultSlackFeatures(config),
    redis,
    // Bolt's client answers people (buttons, threads) and its fetch carries response_url posts: each call is bounded.
    clientOptions: { ...slackClientOptions({ purpose: 'interactive', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}), fetch: countingSlackFetch(metrics) }), ...options.clientOptions },
    alertActions,
    ...(teamsBot ? { routes: [teamsBot.route] } : {}),
    metrics,
    // Retries and replays are dropped by every replica, not only the one that took the first copy.
    deliveries: { redis, ...(options.alertKeyPrefix ? { keyPrefix: options.alertKeyPrefix } : {}) },
  });

  let started: { port: number };
  try {
    started = await slack.start(options.port ?? config.env.PORT, options.host);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const stop = roleStop(
    async () => {
      // Stop taking requests first, then let the answers already promised finish, within a bound.
      const stopped = slack.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the Slack app failed'));
      teamsBot?.stop();
      if (!(await settlesWithin(stopped, CLOSE_STEP_MS))) logger.warn('the Slack app did not stop taking requests in time; going on');
      const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
      if (!(await slack.drain(drainMs))) logger.warn({ drainMs }, 'requests still running when the drain time ran out; stopping anyway');
      // Each close is bounded: a Redis that is down or does not answer must not hold the exit.
      await closeWithin([closeSharedQueue(notifyQueue), closeSharedQueue(cleanupQueue), teams?.close()], logger, 'the queues');
      await closeRedis(redis);
      fleet.release();
      logger.info('bot stopped');
    },
    { logger, ...(options.handleSignals === false ? { handleSignals: false } : {}), ...(options.exit ? { exit: options.exit } : {}) },
  );
  // Only now that a signal stops it gracefully: whoever waits for this line may send one at once.
  logger.info({ port: started.port, mode: config.slack.appToken ? 'socket' : 'http', teams: teamsBot ? 'bot' : 'off', pid: process.pid }, 'bot started');
  return { port: started.port, stop };
}
