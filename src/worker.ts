/**
 * The worker role's composition root: Redis connections as BullMQ's production guide asks,
 * the alert queues and their workers, the tick source, and a graceful close on SIGTERM/SIGINT.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createAwsClients } from './aws/clients.js';
import { createAwsPorts } from './aws/create-ports.js';
import type { AwsPorts } from './aws/ports.js';
import { AlertStore } from './alerts/store.js';
import type { Config } from './config/load.js';
import { bucketLabel } from './reports/types.js';
import { enqueueDeliveries, processDeliver, processEvaluate, processTick, type AlertProcessorDeps } from './jobs/alert-processors.js';
import { ALERTS_QUEUE, EVALUATE_JOB, KEEP_JOBS, NOTIFY_QUEUE, openQueues, TICK_JOB, tickJobId, type TickData } from './jobs/queues.js';
import { cronTicks, type TickSource } from './jobs/tick-source.js';
import { digestTicks } from './jobs/digest-ticks.js';
import { DIGEST_JOB_NAME, digestJobFor, processDigestJob, type DigestJobData, type DigestJobDeps } from './jobs/digest-job.js';
import { RedisDigestLedger } from './jobs/digest-ledger.js';
import { SlackDigestPoster } from './jobs/digest-poster.js';
import { alertDigestSource } from './alerts/digest-source.js';
import { jobLogger, type Logger } from './lib/logger.js';
import { createRedisConnection } from './lib/redis.js';
import type { Registry } from 'prom-client';
import { instrumentAwsClient } from './metrics/aws-middleware.js';
import { addQueueDepthSource, botMetrics, type BotMetrics } from './metrics/definitions.js';
import { createMetricsRegistry } from './metrics/registry.js';
import { startMetricsServer, type HttpRoute, type MetricsServer } from './metrics/server.js';
import { countingSlackFetch } from './metrics/slack-fetch.js';
import { observeJob, recordAlertEvaluation, setAlertStates, type AlertStateCount } from './metrics/worker.js';
import type { AlertState } from './alerts/types.js';
import { RedisCache } from './lib/redis-cache.js';
import { DeliveryBusyError } from './notify/deliver.js';
import { LogNotifier } from './notify/log.js';
import type { Notifier } from './notify/notifier.js';
import { SlackNotifier } from './notify/slack.js';
import { startTeamsDelivery } from './notify/teams-worker.js';
import { startCleanupRole } from './jobs/cleanup-worker.js';
import { startScheduledTestUploads } from './actions/scheduled-test-upload.js';

export interface StartWorkerOptions {
  /** Stop on SIGTERM/SIGINT and exit (default true). */
  handleSignals?: boolean;
  exit?: (code: number) => void;
  /** Ticks; node-cron on `schedules.alertEvaluation` by default. */
  ticks?: TickSource;
  /** The time a slot's data is judged at; the slot itself by default (tests map slots onto a faster clock). */
  evaluationTime?: (slot: Date) => Date;
  /** Digest ticks; a timer to `schedules.digestTime` in `schedules.timezone` by default. */
  digestTicks?: TickSource;
  /** BullMQ's key prefix (tests use one per run). */
  queuePrefix?: string;
  /** The alert store's key prefix. */
  keyPrefix?: string;
  aws?: AwsPorts;
  notifier?: Notifier;
  /** @slack/web-api retry policy for deliveries. */
  slackRetry?: ConstructorParameters<typeof SlackNotifier>[0]['retryConfig'];
  /** The registry the worker's metrics go to; in the `all` role, the bot's, so one `/metrics` serves both. */
  registry?: Registry;
  /**
   * Serve `/metrics` and `/healthz` on `metricsPort` (default true). The `all` role turns it off:
   * the bot already serves `/metrics` from the shared registry on PORT.
   */
  serveMetrics?: boolean;
  /** The metrics server's port; `config.env.PORT` by default (0 picks a free one). */
  metricsPort?: number;
}

/** A running worker and how to stop it. */
export interface WorkerHandle {
  stop(): Promise<void>;
  store: AlertStore;
  /** The port `/metrics` and `/healthz` are served on; `null` when the worker serves none. */
  metricsPort: number | null;
}

/** Starts the worker role: evaluation and delivery workers, and the tick that enqueues each slot once. */
export async function startWorker(config: Config, logger: Logger, options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const log = logger.child({ role: 'worker' });
  const url = config.env.REDIS_URL;
  // Workers wait out a Redis outage (BullMQ's guide: maxRetriesPerRequest null); producers fail fast.
  const workerConnection = new Redis(url, { maxRetriesPerRequest: null });
  const storeConnection = new Redis(url, { maxRetriesPerRequest: null });
  const producerConnection = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const cacheConnection = createRedisConnection(url, log);
  const connections = [workerConnection, storeConnection, producerConnection];
  let down = false;
  for (const c of connections) {
    c.on('error', (error: Error) => {
      if (!down) log.warn({ err: error }, 'Redis is unreachable; the worker waits for it');
      down = true;
    });
    c.on('ready', () => {
      if (down) log.info('Redis is reachable again');
      down = false;
    });
  }

  const now = () => new Date();
  const metrics = botMetrics(options.registry ?? createMetricsRegistry());
  const slackFetch = countingSlackFetch(metrics);
  const clients = options.aws ? undefined : createAwsClients({ region: config.region, endpoint: config.env.AWS_ENDPOINT_URL, logger: log, instrument: instrumentAwsClient(metrics) });
  const aws = options.aws ?? createAwsPorts({ clients: clients!, cache: new RedisCache(cacheConnection), config, logger: log, now });
  const store = new AlertStore(storeConnection, options.keyPrefix ? { keyPrefix: options.keyPrefix } : {});
  const queues = openQueues(producerConnection, options.queuePrefix, log);
  const notifier = options.notifier ?? createNotifier(config, log, options.slackRetry, slackFetch);
  const labels = new Map(config.buckets.map((b) => [b.name, bucketLabel(b)]));
  const deps: AlertProcessorDeps = {
    evaluate: { config, aws, store, logger: log },
    deliver: { store, notifier, message: { region: config.region, label: (name) => labels.get(name) ?? name }, logger: log },
    queues,
  };

  // Teams, when a webhook is set: its own queue, so every alert change and digest goes there as well without holding Slack back.
  const webhookUrl = config.env.TEAMS_WEBHOOK_URL;
  const teams = webhookUrl
    ? startTeamsDelivery({ webhookUrl, workerConnection, producerConnection, storeConnection, ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}), ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}), message: deps.deliver.message, logger: log })
    : undefined;
  if (teams) {
    deps.teams = teams.feed;
    deps.deliver.beforeEvent = (event) => teams.feed.alertEvents([event]);
  }

  const digestDeps: DigestJobDeps = {
    config,
    ...(teams ? { teams: teams.feed } : {}),
    aws,
    poster: new SlackDigestPoster({ token: config.slack.botToken ?? '', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}), fetch: slackFetch }),
    ledger: new RedisDigestLedger(storeConnection, `${options.keyPrefix ?? 's3-chatops:'}digest:`),
    now,
    logger: log,
    sources: { alerts: alertDigestSource(store) },
  };
  const prefix = options.queuePrefix ? { prefix: options.queuePrefix } : {};
  // Every job is timed by queue and name, and logs with its job id.
  const observed = (queue: string, run: (job: Job, jobLog: Logger) => Promise<unknown>) => (job: Job) =>
    observeJob(metrics, { queue, job: job.name }, () => run(job, jobLogger(log, { queue, id: job.id, name: job.name })));
  const alertsWorker = new Worker(
    ALERTS_QUEUE,
    observed(ALERTS_QUEUE, async (job, jobLog) => {
      const jobDeps = withLogger(deps, jobLog);
      if (job.name === TICK_JOB) return processTick(jobDeps, job);
      if (job.name === EVALUATE_JOB) return evaluateRecorded(metrics, store, now, () => processEvaluate(jobDeps, job), jobLog);
      if (job.name === DIGEST_JOB_NAME) return processDigestJob({ ...digestDeps, logger: jobLog }, job.data as DigestJobData);
      throw new Error(`unknown job ${job.name}`);
    }),
    { connection: workerConnection, concurrency: 2, ...prefix },
  );
  const notifyWorker = new Worker(NOTIFY_QUEUE, observed(NOTIFY_QUEUE, (job, jobLog) => processDeliver(withLogger(deps, jobLog), job)), {
    connection: workerConnection,
    concurrency: 4,
    // About one message a second to the alert channel, shared by every worker process.
    limiter: { max: Math.max(1, Math.round(config.alerts.messagesPerSecond)), duration: 1_000 },
    settings: { backoffStrategy: deliveryBackoff },
    ...prefix,
  });
  for (const worker of [alertsWorker, notifyWorker]) {
    worker.on('error', (error) => log.warn({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => log.warn({ err: error, queue: worker.name, job: job?.id, attempt: job?.attemptsMade }, 'job failed; it will be retried'));
  }

  // Confirmed cleanups: a job left by a process that died is taken over and resumed.
  const cleanup = startCleanupRole({ config, logger: log, connection: workerConnection, registry: metrics.registry, ...(clients ? { s3: clients.s3 } : {}), ...prefix });
  // schedules.testUpload: one upload per bucket per slot, judged by the test-upload rule.
  const scheduledUploads = startScheduledTestUploads({ config, logger: log, connection: workerConnection, producer: producerConnection, store, enqueue: (events) => enqueueDeliveries(queues, events), registry: metrics.registry, ...(clients ? { s3: clients.s3 } : {}), ...prefix });
  const evaluationTime = options.evaluationTime ?? ((slot: Date) => slot);
  const ticks = (options.ticks ?? cronTicks(config.schedules.alertEvaluation, config.schedules.timezone))((slot) => {
    const data: TickData = { slot: slot.toISOString(), at: evaluationTime(slot).toISOString() };
    queues.alerts.add(TICK_JOB, data, { ...KEEP_JOBS, jobId: tickJobId(slot), attempts: 3 }).catch((error: unknown) => {
      // A tick missed while Redis is away is not made up: the next one judges the same datapoints.
      log.warn({ err: error, slot: data.slot }, 'could not enqueue the alert tick');
    });
  });
  // The daily digest: every process ticks; the job id from the local date keeps one a day.
  const digest = (options.digestTicks ?? digestTicks(config.schedules.digestTime, config.schedules.timezone))((run) => {
    const job = digestJobFor(run, config);
    queues.alerts.add(job.name, job.data, job.opts).catch((error: unknown) => log.warn({ err: error, slot: job.data.slot }, 'could not enqueue the daily digest'));
  });
  // Queue depth is read at scrape time through the fail-fast producer connection.
  addQueueDepthSource(metrics, () => Promise.all([queues.alerts, queues.notify].map(async (q) => ({ queue: q.name, counts: await q.getJobCounts() }))));
  let server: MetricsServer | null = null;
  if (options.serveMetrics ?? true) {
    try {
      server = await startMetricsServer({ registry: metrics.registry, port: options.metricsPort ?? config.env.PORT, routes: [HEALTHZ] });
    } catch (error) {
      log.error({ err: error, port: options.metricsPort ?? config.env.PORT }, 'could not serve /metrics; is PORT taken?');
      await Promise.allSettled([alertsWorker.close(), notifyWorker.close(), queues.close(), teams?.close(), cleanup.close(), scheduledUploads?.close()]);
      ticks.stop();
      digest.stop();
      for (const c of [...connections, cacheConnection]) c.disconnect();
      throw error;
    }
  }
  log.info({ schedule: config.schedules.alertEvaluation, buckets: config.buckets.length, channel: config.channels.alerts ?? null, metricsPort: server?.port ?? null }, 'worker started');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      ticks.stop();
      digest.stop();
      // close() lets running jobs finish; their results are recorded before the connections go.
      await Promise.allSettled([alertsWorker.close(), notifyWorker.close(), teams?.close(), cleanup.close(), scheduledUploads?.close()]);
      await server?.close();
      await queues.close().catch(() => undefined);
      for (const c of [...connections, cacheConnection]) await c.quit().catch(() => c.disconnect());
      clients?.s3.destroy();
      clients?.cloudWatch.destroy();
      clients?.costExplorer.destroy();
      log.info('worker stopped');
    })();
    return stopping;
  };
  const exit = options.exit ?? ((code: number) => process.exit(code));
  function onSignal(signal: NodeJS.Signals): void {
    log.info({ signal }, 'stopping');
    stop().then(
      () => exit(0),
      () => exit(1),
    );
  }
  if (options.handleSignals ?? true) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { stop, store, metricsPort: server?.port ?? null };
}

/** `GET /healthz`: the worker process is running. */
const HEALTHZ: HttpRoute = {
  path: '/healthz',
  method: 'GET',
  handler: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  },
};

/** The processors' dependencies with the job's logger, so every line carries the job id. */
function withLogger(deps: AlertProcessorDeps, logger: Logger): AlertProcessorDeps {
  return { ...deps, evaluate: { ...deps.evaluate, logger }, deliver: { ...deps.deliver, logger } };
}

/** Runs an evaluation job and records it: its outcome, and every alert's state afterwards. */
async function evaluateRecorded<T>(metrics: BotMetrics, store: AlertStore, now: () => Date, run: () => Promise<T>, logger: Logger): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    recordAlertEvaluation(metrics, false, now);
    throw error;
  }
  recordAlertEvaluation(metrics, true, now);
  try {
    setAlertStates(metrics, alertStateCounts(await store.list(), now()));
  } catch (error) {
    // The evaluation itself succeeded; the gauge keeps its previous counts until the next one.
    logger.warn({ err: error }, 'could not read the alert states for the metrics');
  }
  return result;
}

/** Alerts counted by rule and state; a firing alert that is snoozed or acknowledged is counted as that. */
export function alertStateCounts(states: readonly AlertState[], now: Date): AlertStateCount[] {
  const counts = new Map<string, AlertStateCount>();
  for (const s of states) {
    let state: string = s.status;
    if (s.status === 'firing' && s.snoozedUntil !== null && Date.parse(s.snoozedUntil) > now.getTime()) state = 'snoozed';
    else if (s.status === 'firing' && s.acknowledgedBy !== null) state = 'acknowledged';
    const key = `${s.rule}\0${state}`;
    const entry = counts.get(key) ?? { rule: s.rule, state, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** Slack when a token and an alert channel are configured; otherwise a log line per alert. */
function createNotifier(config: Config, logger: Logger, retryConfig: StartWorkerOptions['slackRetry'], fetch: SlackNotifierFetch): Notifier {
  if (!config.slack.botToken || !config.channels.alerts) {
    logger.warn('no SLACK_BOT_TOKEN or channels.alerts: alerts are evaluated and logged, not posted');
    return new LogNotifier(logger);
  }
  return new SlackNotifier({
    token: config.slack.botToken,
    channel: config.channels.alerts,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    ...(retryConfig ? { retryConfig } : {}),
    fetch,
  });
}

type SlackNotifierFetch = ConstructorParameters<typeof SlackNotifier>[0]['fetch'];

/** Busy alerts are tried again soon; failed sends back off up to a minute. */
function deliveryBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof DeliveryBusyError || error?.name === 'DeliveryBusyError') return 300;
  return Math.min(60_000, 500 * 2 ** Math.min(attemptsMade, 7));
}
