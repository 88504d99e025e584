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
import { processDeliver, processEvaluate, processTick, type AlertProcessorDeps } from './jobs/alert-processors.js';
import { ALERTS_QUEUE, EVALUATE_JOB, KEEP_JOBS, NOTIFY_QUEUE, openQueues, TICK_JOB, tickJobId, type TickData } from './jobs/queues.js';
import { cronTicks, type TickSource } from './jobs/tick-source.js';
import { digestTicks } from './jobs/digest-ticks.js';
import { DIGEST_JOB_NAME, digestJobFor, processDigestJob, type DigestJobData, type DigestJobDeps } from './jobs/digest-job.js';
import { RedisDigestLedger } from './jobs/digest-ledger.js';
import { SlackDigestPoster } from './jobs/digest-poster.js';
import { alertDigestSource } from './alerts/digest-source.js';
import type { Logger } from './lib/logger.js';
import { createRedisConnection } from './lib/redis.js';
import { RedisCache } from './lib/redis-cache.js';
import { DeliveryBusyError } from './notify/deliver.js';
import { LogNotifier } from './notify/log.js';
import type { Notifier } from './notify/notifier.js';
import { SlackNotifier } from './notify/slack.js';

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
}

/** A running worker and how to stop it. */
export interface WorkerHandle {
  stop(): Promise<void>;
  store: AlertStore;
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
  const clients = options.aws ? undefined : createAwsClients({ region: config.region, endpoint: config.env.AWS_ENDPOINT_URL, logger: log });
  const aws = options.aws ?? createAwsPorts({ clients: clients!, cache: new RedisCache(cacheConnection), config, logger: log, now });
  const store = new AlertStore(storeConnection, options.keyPrefix ? { keyPrefix: options.keyPrefix } : {});
  const queues = openQueues(producerConnection, options.queuePrefix, log);
  const notifier = options.notifier ?? createNotifier(config, log, options.slackRetry);
  const labels = new Map(config.buckets.map((b) => [b.name, bucketLabel(b)]));
  const deps: AlertProcessorDeps = {
    evaluate: { config, aws, store, logger: log },
    deliver: { store, notifier, message: { region: config.region, label: (name) => labels.get(name) ?? name }, logger: log },
    queues,
  };

  const digestDeps: DigestJobDeps = {
    config,
    aws,
    poster: new SlackDigestPoster({ token: config.slack.botToken ?? '', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) }),
    ledger: new RedisDigestLedger(storeConnection, `${options.keyPrefix ?? 's3-chatops:'}digest:`),
    now,
    logger: log,
    sources: { alerts: alertDigestSource(store) },
  };
  const prefix = options.queuePrefix ? { prefix: options.queuePrefix } : {};
  const alertsWorker = new Worker(
    ALERTS_QUEUE,
    async (job: Job) => {
      if (job.name === TICK_JOB) return processTick(deps, job);
      if (job.name === EVALUATE_JOB) return processEvaluate(deps, job);
      if (job.name === DIGEST_JOB_NAME) return processDigestJob(digestDeps, job.data as DigestJobData);
      throw new Error(`unknown job ${job.name}`);
    },
    { connection: workerConnection, concurrency: 2, ...prefix },
  );
  const notifyWorker = new Worker(NOTIFY_QUEUE, async (job: Job) => processDeliver(deps, job), {
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
  log.info({ schedule: config.schedules.alertEvaluation, buckets: config.buckets.length, channel: config.channels.alerts ?? null }, 'worker started');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      ticks.stop();
      digest.stop();
      // close() lets running jobs finish; their results are recorded before the connections go.
      await Promise.allSettled([alertsWorker.close(), notifyWorker.close()]);
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
  return { stop, store };
}

/** Slack when a token and an alert channel are configured; otherwise a log line per alert. */
function createNotifier(config: Config, logger: Logger, retryConfig: StartWorkerOptions['slackRetry']): Notifier {
  if (!config.slack.botToken || !config.channels.alerts) {
    logger.warn('no SLACK_BOT_TOKEN or channels.alerts: alerts are evaluated and logged, not posted');
    return new LogNotifier(logger);
  }
  return new SlackNotifier({
    token: config.slack.botToken,
    channel: config.channels.alerts,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    ...(retryConfig ? { retryConfig } : {}),
  });
}

/** Busy alerts are tried again soon; failed sends back off up to a minute. */
function deliveryBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof DeliveryBusyError || error?.name === 'DeliveryBusyError') return 300;
  return Math.min(60_000, 500 * 2 ** Math.min(attemptsMade, 7));
}
