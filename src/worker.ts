/**
 * The worker role's composition root: Redis connections as BullMQ's production guide asks,
 * the alert queues and their workers, the tick source, and a graceful close on SIGTERM/SIGINT.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createFleet } from './aws/fleet.js';
import { cloudTrailPacer, createAwsPorts } from './aws/create-ports.js';
import type { AwsPorts } from './aws/ports.js';
import { AlertStore } from './alerts/store.js';
import { gatherProblems } from './alerts/source-problems.js';
import type { Config } from './config/load.js';
import { bucketLabel } from './reports/types.js';
import { enqueueAlertEvents, processDeliver, processEvaluate, processTick, type AlertProcessorDeps } from './jobs/alert-processors.js';
import { ALERTS_QUEUE, DELIVER_JOB, EVALUATE_JOB, KEEP_JOBS, NOTIFY_QUEUE, openQueues, TICK_JOB, tickJobId, type TickData } from './jobs/queues.js';
import { cronTicks, type TickSource } from './jobs/tick-source.js';
import { digestTicks } from './jobs/digest-ticks.js';
import { DIGEST_JOB_NAME, processDigestJob, type DigestJobData, type DigestJobDeps } from './jobs/digest-job.js';
import { scheduleDigests } from './jobs/digest-schedule.js';
import { dispatchByName } from './jobs/dispatch.js';
import { evaluateRecorded, readLastSuccess } from './jobs/evaluation-record.js';
import { RedisDigestLedger } from './jobs/digest-ledger.js';
import { SlackDigestPoster } from './jobs/digest-poster.js';
import { digestSources } from './alerts/digest-source.js';
import { scheduledTestUploadSource } from './jobs/test-upload-history.js';
import type { Logger } from './lib/logger.js';
import { createRedisConnection, REDIS_COMMAND_TIMEOUT_MS } from './lib/redis.js';
import type { Registry } from 'prom-client';
import type { Connections } from '@microsoft/agents-hosting';
import { instrumentAwsClient } from './metrics/aws-middleware.js';
import { addQueueDepthSource, botMetrics } from './metrics/definitions.js';
import { createMetricsRegistry } from './metrics/registry.js';
import { startMetricsServer, type HttpRoute, type MetricsServer } from './metrics/server.js';
import { countingSlackFetch } from './metrics/slack-fetch.js';
import { alertStateCounts } from './alerts/state-counts.js';
import { setAlertStateSource } from './metrics/worker.js';
import { longestGapSeconds } from './jobs/cadence.js';
import { RedisCache } from './lib/redis-cache.js';
import { deliveryBackoff } from './notify/delivery-schedule.js';
import type { Notifier } from './notify/notifier.js';
import { alertNotifier } from './notify/create-notifier.js';
import { alertDestinations, botAlertTarget, SLACK_DESTINATION, TEAMS_BOT_DESTINATION, TEAMS_WEBHOOK_DESTINATION } from './notify/destinations.js';
import { startTeamsDelivery } from './jobs/teams-worker.js';
import { TEAMS_QUEUE } from './notify/teams-delivery.js';
import { CLEANUP_QUEUE } from './jobs/cleanup-job.js';
import { startCleanupRole } from './jobs/cleanup-worker.js';
import { closeWorkersWithin, jobProcessor } from './jobs/job-runner.js';
import { CLOSE_STEP_MS, closeRedis, closeWithin, DRAIN_BOUND_MS, roleStop, settlesWithin } from './lib/shutdown.js';
import { startScheduledTestUploads, TEST_UPLOAD_QUEUE } from './jobs/scheduled-test-upload.js';
import { closeSharedQueue } from './lib/close-queue.js';
import { openSharedQueue } from './lib/open-queue.js';

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
  /** Where the Teams bot's outbound tokens come from; MSAL against TEAMS_AUTHORITY by default. */
  teamsConnections?: Connections;
  /** The registry the worker's metrics go to; in the `all` role, the bot's, so one `/metrics` serves both. */
  registry?: Registry;
  /**
   * Serve `/metrics` and `/healthz` on `metricsPort` (default true). The `all` role turns it off:
   * the bot already serves `/metrics` from the shared registry on PORT.
   */
  serveMetrics?: boolean;
  /** The metrics server's port; `config.env.PORT` by default (0 picks a free one). */
  metricsPort?: number;
  /** On shutdown, how long running jobs may take before the workers are closed by force (default `DRAIN_BOUND_MS`, 13 s). */
  shutdownTimeoutMs?: number;
}

/** A running worker and how to stop it. */
export interface WorkerHandle {
  stop(): Promise<void>;
  store: AlertStore;
  /** The port `/metrics` and `/healthz` are served on; `null` when the worker serves none. */
  metricsPort: number | null;
}

/**
 * How long one command of the worker's alert store may go unanswered. Longer than a person's 2 s:
 * nobody waits on it, and a commit of a whole fleet's states is one script; yet a Redis that
 * accepts and never answers must not hold an evaluation, a delivery or a read forever.
 */
export const STORE_COMMAND_TIMEOUT_MS = 10_000;

/** Starts the worker role: evaluation and delivery workers, and the tick that enqueues each slot once. */
export async function startWorker(config: Config, logger: Logger, options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const log = logger.child({ role: 'worker' });
  const url = config.env.REDIS_URL;
  // Workers wait out a Redis outage (BullMQ's guide: maxRetriesPerRequest null); producers fail fast.
  // No commandTimeout on the workers' connection: BullMQ duplicates it for its blocking BZPOPMIN,
  // which waits up to drainDelay (5 s) on purpose; a shutdown is bounded by force-closing them instead.
  const workerConnection = new Redis(url, { maxRetriesPerRequest: null });
  // The alert store's commands wait out a reconnect (offline queue) but not a Redis that does not
  // answer: past STORE_COMMAND_TIMEOUT_MS a command fails, and its job or read is tried again.
  const storeConnection = new Redis(url, { maxRetriesPerRequest: null, commandTimeout: STORE_COMMAND_TIMEOUT_MS });
  // Scrapes, enqueues and digests read through here: a Redis that does not answer fails them in 2 s.
  const producerConnection = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
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
  const fleet = options.aws ? undefined : createFleet(config, { logger: log, instrument: instrumentAwsClient(metrics) });
  const aws = options.aws ?? createAwsPorts({ clients: fleet!.clients, places: fleet!.places, cache: new RedisCache(cacheConnection), config, logger: log, now, trailPacer: (place) => cloudTrailPacer(cacheConnection, fleet!.clients.endpoint ?? 'aws', place, log) });
  // Every change is committed into the outbox of each configured destination in the same script.
  const store = new AlertStore(storeConnection, { destinations: alertDestinations(config), ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}) });
  const queues = openQueues(producerConnection, options.queuePrefix, log);
  // Every Slack call of a delivery (post, edit, thread line) takes a slot of the channel's pace, shared by all workers.
  const notifier = options.notifier ?? alertNotifier(config, { logger: log, redis: storeConnection, fetch: slackFetch, ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}) });
  const labels = new Map(config.buckets.map((b) => [b.name, bucketLabel(b)]));
  // Console links point at each bucket's own region: configured, or found when its metrics were read.
  const message = { region: config.region, regionOf: (name: string) => fleet?.places.knownRegion(name), label: (name: string) => labels.get(name) ?? name };
  // Teams, when a webhook or the bot's alert channel is set: its own queue, so every alert change
  // (and, to a webhook, the digest) goes there as well without holding Slack back.
  const webhookUrl = config.env.TEAMS_WEBHOOK_URL;
  const target = botAlertTarget(config);
  const bot = target ? { ...target, outbox: store.outbox(TEAMS_BOT_DESTINATION), ...(options.teamsConnections ? { connections: options.teamsConnections } : {}) } : undefined;
  const teams = webhookUrl || bot
    ? startTeamsDelivery({ webhookUrl, bot, outbox: store.outbox(TEAMS_WEBHOOK_DESTINATION), workerConnection, producerConnection, storeConnection, ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}), ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}), message, logger: log, registry: metrics.registry })
    : undefined;
  const deps: AlertProcessorDeps = {
    evaluate: { config, aws, store, logger: log, problems: gatherProblems(log, config) },
    deliver: { outbox: store.outbox(SLACK_DESTINATION), notifier, message, logger: log },
    queues,
    ...(teams ? { teams: teams.feed } : {}),
    onRefused: (destination, reason) => metrics.deliveryRefusals.inc({ destination, reason }),
  };

  const digestDeps: DigestJobDeps = {
    config,
    ...(teams ? { teams: teams.feed } : {}),
    aws,
    poster: new SlackDigestPoster({ token: config.slack.botToken ?? '', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}), fetch: slackFetch }),
    ledger: new RedisDigestLedger(storeConnection, `${options.keyPrefix ?? 's3-chatops:'}digest:`),
    now,
    logger: log,
    // The scheduled uploads' finished jobs keep each result for a day: the digest's test-upload line.
    sources: digestSources({ alerts: store, testUploads: scheduledTestUploadSource(config, { connection: producerConnection, prefix: options.queuePrefix }) }),
  };
  const prefix = options.queuePrefix ? { prefix: options.queuePrefix } : {};
  // Every job is timed by queue and name, and every line it logs carries its job id (the log context).
  const alertJobs = dispatchByName(ALERTS_QUEUE, {
    [TICK_JOB]: (job) => processTick(deps, job),
    [EVALUATE_JOB]: (job) => evaluateRecorded({ metrics, now, store, log }, () => processEvaluate(deps, job)),
    [DIGEST_JOB_NAME]: (job) => processDigestJob(digestDeps, job.data as DigestJobData),
  });
  const alertsWorker = new Worker(ALERTS_QUEUE, jobProcessor(ALERTS_QUEUE, alertJobs, { metrics }), { connection: workerConnection, concurrency: 2, ...prefix });
  const notifyJobs = dispatchByName(NOTIFY_QUEUE, { [DELIVER_JOB]: (job, token) => processDeliver(deps, job, token) });
  const notifyWorker = new Worker(NOTIFY_QUEUE, jobProcessor(NOTIFY_QUEUE, notifyJobs, { metrics }), {
    connection: workerConnection,
    concurrency: 4,
    settings: { backoffStrategy: deliveryBackoff },
    ...prefix,
  });
  for (const worker of [alertsWorker, notifyWorker]) {
    worker.on('error', (error) => log.warn({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => log.warn({ err: error, queue: worker.name, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'job failed'));
  }

  // Confirmed cleanups: a job left by a process that died is taken over and resumed.
  const bucketClients = fleet ? { s3: fleet.clients.s3, s3For: fleet.s3For } : {};
  const cleanup = startCleanupRole({ config, logger: log, connection: workerConnection, registry: metrics.registry, ...bucketClients, ...prefix, ...(options.teamsConnections ? { teamsConnections: options.teamsConnections } : {}) });
  // schedules.testUpload: one upload per bucket per slot, judged by the test-upload rule.
  const scheduledUploads = startScheduledTestUploads({ config, logger: log, connection: workerConnection, producer: producerConnection, store, enqueue: (events) => enqueueAlertEvents({ notify: queues.notify, teams: teams?.feed }, events, log), registry: metrics.registry, ...bucketClients, ...prefix });
  const evaluationTime = options.evaluationTime ?? ((slot: Date) => slot);
  const ticks = (options.ticks ?? cronTicks(config.schedules.alertEvaluation, config.schedules.timezone))((slot) => {
    const data: TickData = { slot: slot.toISOString(), at: evaluationTime(slot).toISOString() };
    queues.alerts.add(TICK_JOB, data, { ...KEEP_JOBS, jobId: tickJobId(slot), attempts: 3 }).catch((error: unknown) => {
      // A tick missed while Redis is away is not made up: the next one judges the same datapoints.
      log.warn({ err: error, slot: data.slot }, 'could not enqueue the alert tick');
    });
  });
  // The daily digest, queued through the producer connection by every process (one job a day).
  const digest = scheduleDigests({ config, queue: queues.alerts, producer: producerConnection, ticks: options.digestTicks ?? digestTicks(config.schedules.digestTime, config.schedules.timezone), logger: log });
  // Queue depth is read at scrape time through the fail-fast producer connection.
  // Every queue of the role, so a cleanup, test upload or Teams backlog shows as well as an alert one.
  const depthQueues = [CLEANUP_QUEUE, TEST_UPLOAD_QUEUE, ...(teams ? [TEAMS_QUEUE] : [])].map((name) => openSharedQueue(name, producerConnection, options.queuePrefix));
  for (const q of depthQueues) q.on('error', (error) => log.warn({ err: error, queue: q.name }, 'queue error'));
  addQueueDepthSource(metrics, () => Promise.all([queues.alerts, queues.notify, ...depthQueues].map(async (q) => ({ queue: q.name, counts: await q.getJobCounts() }))));
  // Alert states are read from the shared store at scrape time: every worker shows the same, current
  // counts. Through the fail-fast connection, as queue depth is: while Redis is away a scrape must
  // answer with the last counts, not wait on the store's connection, which retries forever.
  const scrapeStore = new AlertStore(producerConnection, options.keyPrefix ? { keyPrefix: options.keyPrefix } : {});
  setAlertStateSource(metrics, async () => alertStateCounts(await scrapeStore.list(), now()));
  // How stale the last success may get is relative to the schedule (an hourly one is not stale at 30 min).
  const cadence = longestGapSeconds(config.schedules.alertEvaluation, config.schedules.timezone);
  if (cadence !== null) metrics.alertEvaluationInterval.set(cadence);
  const lastSuccessRead = readLastSuccess({ metrics, store, connection: storeConnection, startedAt: now(), log });
  let server: MetricsServer | null = null;
  if (options.serveMetrics ?? true) {
    try {
      server = await startMetricsServer({ registry: metrics.registry, port: options.metricsPort ?? config.env.PORT, routes: [HEALTHZ] });
    } catch (error) {
      log.error({ err: error, port: options.metricsPort ?? config.env.PORT }, 'could not serve /metrics; is PORT taken?');
      await Promise.allSettled([alertsWorker.close(), notifyWorker.close(), queues.close(), teams?.close(), cleanup.close(), scheduledUploads?.close(), ...depthQueues.map((q) => closeSharedQueue(q))]);
      ticks.stop();
      digest.stop();
      for (const c of [...connections, cacheConnection]) c.disconnect();
      throw error;
    }
  }
  const stop = roleStop(
    async () => {
      ticks.stop();
      digest.stop();
      lastSuccessRead.stop();
      // Running jobs may finish (their results are recorded before the connections go), within a
      // bound: past it they are left to lapse and be retried elsewhere, not SIGKILLed mid-write.
      const workers = [alertsWorker, notifyWorker, ...(teams ? [teams.worker] : []), cleanup.worker, ...(scheduledUploads ? [scheduledUploads.worker] : [])];
      const drainMs = options.shutdownTimeoutMs ?? DRAIN_BOUND_MS;
      // The force-close after the drain talks to Redis too: with Redis frozen it is dropped, not awaited.
      await settlesWithin(closeWorkersWithin(workers, drainMs, log), drainMs + CLOSE_STEP_MS);
      // Each part's own close: its worker is closed already; its queues and clients go now, each bounded.
      await closeWithin([teams?.close(), cleanup.close(), scheduledUploads?.close(), server?.close(), queues.close(), ...depthQueues.map((q) => closeSharedQueue(q))], log, 'queues and servers');
      await Promise.all([...connections, cacheConnection].map((c) => closeRedis(c)));
      fleet?.release();
      log.info('worker stopped');
    },
    { logger: log, ...(options.handleSignals === false ? { handleSignals: false } : {}), ...(options.exit ? { exit: options.exit } : {}) },
  );
  // Only now that a signal stops it gracefully: whoever waits for this line may send one at once.
  log.info({ schedule: config.schedules.alertEvaluation, buckets: config.buckets.length, channel: config.channels.alerts ?? null, metricsPort: server?.port ?? null }, 'worker started');
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
