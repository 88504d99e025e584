import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TestUploadGuard } from '../actions/test-upload-guard.js';
import type { CommandContext } from '../commands/types.js';
import type { Config } from '../config/load.js';
import { newRequestId, requestLogger, withLogContext } from '../lib/logger.js';
import { withCommandTiming } from './command-timing.js';
import type { BotMetrics } from '../metrics/definitions.js';
import { metricsRoute, type HttpRoute } from '../metrics/server.js';
import { countingSlackFetch } from '../metrics/slack-fetch.js';
import { createSlackWebClient } from '../notify/slack-client.js';
import type { Report } from '../message/model.js';
import { isPartial } from '../reports/unanswered.js';
import type { AlertActionDeps } from '../alerts/actions.js';
import { registerAcknowledgeAction } from './actions/acknowledge.js';
import { registerCleanupActions } from './actions/cleanup.js';
import { registerTestUploadAction } from './actions/test-upload.js';
import { registerRefreshAction } from './actions/refresh.js';
import { registerSnoozeAction } from './actions/snooze.js';
import { AnswerPool, DEFAULT_ANSWER_POOL, type AnswerPoolOptions } from '../commands/answer-pool.js';
import { SlackAuthCheck } from './auth-check.js';
import { boltLogger } from './bolt-logger.js';
import { registerSlashCommand, SLASH_COMMAND } from './commands.js';
import type { SlackFeatures } from './features.js';
import { DeliveryLedger } from './dedupe.js';
import { deliveryKey } from './dedupe-key.js';
import { RefusedRequests } from '../metrics/refused-requests.js';
import { refusingOutsideWindow } from './request-window.js';
import { GatedReceiver, InFlight } from './gated-receiver.js';
import { checkReadiness, healthRoutes, type Readiness, type RedisPing } from './health.js';
import { registerHome } from './home.js';

export interface CreateSlackAppOptions {
  config: Config;
  ctx: CommandContext;
  logger: Logger;
  features: SlackFeatures;
  /** A receiver of the caller's; by default HTTP (`POST /slack/events`) or Socket Mode when SLACK_APP_TOKEN is set. */
  receiver?: Receiver;
  /** Web API client options; `slackApiUrl` defaults to `config.slack.apiUrl`. */
  clientOptions?: webApi.WebClientOptions;
  /** For `/readyz`. */
  redis?: RedisPing;
  /** Bounds of the work behind acknowledgements. */
  answers?: Partial<Omit<AnswerPoolOptions, 'now'>>;
  /** Alert state and the notify queue, for the Snooze and Acknowledge buttons (absent: not registered). */
  alertActions?: AlertActionDeps;
  /** When given: `GET /metrics`, Slack API calls counted, commands timed. */
  metrics?: BotMetrics;
  /** Where deliveries are recorded so every replica drops a retry or replay; absent: this process only. */
  deliveries?: { redis?: Redis; keyPrefix?: string };
  /** More routes on the bot's HTTP server (the Teams bot's `POST /api/messages`). */
  routes?: HttpRoute[];
  /** How often refused requests are summed up in one log line; 60 s by default. */
  refusedLogIntervalMs?: number;
}

/** The Slack app and what its entry point needs to run it. */
export interface SlackApp {
  app: App;
  /** Starts listening (on every interface, or on `host` alone); resolves with the HTTP port (the health port in Socket Mode). */
  start(port: number, host?: string): Promise<{ port: number }>;
  stop(): Promise<void>;
  /** Waits until no request is being worked on (answers still owed through response_url), at most `timeoutMs`; false if time ran out. */
  drain(timeoutMs: number): Promise<boolean>;
  readiness(): Promise<Readiness>;
  auth: SlackAuthCheck;
}

/** Builds the Bolt app: receiver with health routes, listeners, and the bounded answer pool. */
export function createSlackApp(options: CreateSlackAppOptions): SlackApp {
  const { config, ctx, logger, redis, metrics } = options;
  const features = metrics ? withCommandTiming(options.features, metrics) : options.features;
  const botToken = config.slack.botToken;
  const clientOptions: webApi.WebClientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...(metrics ? { fetch: countingSlackFetch(metrics) } : {}),
    ...options.clientOptions,
  };

  // auth.test gets its own client without retries: a readiness probe must answer in time.
  const authClient = createSlackWebClient(botToken, { purpose: 'probe', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}), ...(clientOptions.fetch ? { fetch: clientOptions.fetch } : {}) });
  const auth = new SlackAuthCheck({ authTest: () => authClient.auth.test(), now: ctx.now });
  const readinessDeps = { redis, auth, ...(metrics ? { aws: metrics.awsHealth } : {}) };
  const customRoutes = [...healthRoutes(readinessDeps), ...(metrics ? [metricsRoute(metrics.registry)] : []), ...(options.routes ?? [])];
  const refused = new RefusedRequests({ logger, ...(metrics ? { registry: metrics.registry } : {}), ...(options.refusedLogIntervalMs ? { intervalMs: options.refusedLogIntervalMs } : {}) });
  // Bolt's own line for each failed verification becomes a count in the summary line.
  const bolt = boltLogger(logger, { onRefused: (reason) => refused.count(reason) });
  const deliveries = new DeliveryLedger({ ...options.deliveries, now: ctx.now, logger });

  const socketMode = options.receiver === undefined && config.slack.appToken !== undefined;
  let inner: Receiver;
  if (options.receiver) {
    inner = options.receiver;
  } else if (config.slack.appToken) {
    inner = new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger: bolt,
      customRoutes,
      installerOptions: { port: config.env.PORT },
    });
  } else {
    inner = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      endpoints: '/slack/events',
      logger: bolt,
      customRoutes,
      // Acknowledge as soon as a listener calls ack(); the work goes on after the response.
      processBeforeResponse: false,
      signatureVerification: true,
    });
    const http = inner as HTTPReceiver;
    http.requestListener = refusingOutsideWindow(http.requestListener, { paths: ['/slack/events'], now: ctx.now, onRefused: (reason) => refused.count(reason) });
  }

  // Every event passes here first, through the receiver contract. A retry or replay of a delivery
  // already taken (here or by another replica) is acknowledged with nothing more: its original acts
  // and answers, once. A question answered within the reuse time is acknowledged with that answer
  // before Bolt's middleware and listener chains run: nothing is left to do behind it, and in an
  // incident, when everyone asks the same thing, that is most commands.
  // Everything else goes through Bolt, counted until its listeners are done (so a shutdown can wait
  // for answers still owed through response_url after the acknowledgement). Every event has a
  // request id in the log context from the start: every line logged while it is handled (the
  // delivery ledger's, Bolt's own, the listener, the command's AWS calls, answers sent after the
  // acknowledgement) carries it. Here, not in a global middleware: Bolt builds the client and
  // acknowledges events (App Home) before the middleware runs, and logs as it does.
  const inFlight = new InFlight();
  // Declared before the app: the gate reads it only when events arrive, after the listeners are registered.
  let slashCommand: ReturnType<typeof registerSlashCommand> | undefined;
  const receiver = new GatedReceiver(inner, (event, next) =>
    withLogContext({ requestId: newRequestId() }, async () => {
      const key = deliveryKey(event.body);
      if (key !== undefined && !(await deliveries.claim(key))) {
        refused.count('replay');
        await event.ack().catch((error: unknown) => requestLogger(logger).warn({ err: error }, 'could not acknowledge a repeated delivery'));
        return;
      }
      const reused = slashCommand?.reusedAck(event.body);
      if (reused) {
        try {
          await event.ack(reused as never);
        } catch (error) {
          requestLogger(logger, { command: SLASH_COMMAND }).warn({ err: error }, 'could not acknowledge a command with its reused answer');
        }
        return;
      }
      await inFlight.run(() => next(event));
    }),
  );

  const app = new App({
    receiver,
    logger: bolt,
    clientOptions,
    convoStore: false,
    // Our own authorize: it never waits on Slack before an acknowledgement (auth.test runs
    // once in the background and its identity is added when known).
    authorize: async () => {
      if (!auth.passed) void auth.verify();
      return { botToken, ...auth.known };
    },
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  // A partial answer is never reused: once the stalled source answers, the next question gets it all.
  const pool = new AnswerPool<Report>({ ...DEFAULT_ANSWER_POOL, ...options.answers, reusable: (report) => !isPartial(report), now: ctx.now });
  // The Run test upload button and `/s3 test` share one upload per bucket.
  const appCtx: CommandContext = ctx.actions ? { ...ctx, actions: { ...ctx.actions, uploadGuard: ctx.actions.uploadGuard ?? new TestUploadGuard() } } : ctx;
  const deps = { features, pool, ctx: appCtx, logger };
  slashCommand = registerSlashCommand(app, deps);
  registerRefreshAction(app, deps);
  registerHome(app, deps);
  // Run test upload and Clean up test files: their S3 client, metrics and queue come in ctx.actions.
  registerTestUploadAction(app, deps);
  registerCleanupActions(app, deps);
  if (options.alertActions) {
    registerSnoozeAction(app, { ...options.alertActions, logger });
    registerAcknowledgeAction(app, { ...options.alertActions, logger });
  }

  return {
    app,
    auth,
    readiness: () => checkReadiness(readinessDeps),
    async start(port: number, host?: string) {
      const started: unknown = await app.start(host !== undefined && !socketMode ? { port, host } : port);
      void auth.verify().then((identity) => {
        if (!identity) logger.warn({ error: auth.error }, 'Slack auth.test failed; check SLACK_BOT_TOKEN and SLACK_API_URL');
      });
      if (socketMode) return { port: config.env.PORT };
      const address = (started as Server | undefined)?.address?.();
      return { port: typeof address === 'object' && address ? (address as AddressInfo).port : port };
    },
    async stop() {
      await app.stop();
      refused.flush();
    },
    drain: (timeoutMs: number) => inFlight.drain(timeoutMs),
  };
}
