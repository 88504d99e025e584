/** The worker that runs cleanup jobs; a job of a process that died is picked up again once its lock lapses. */
import type { S3Client } from '@aws-sdk/client-s3';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { tokenMessenger } from '../actions/slack-messenger.js';
import { createAwsClients } from '../aws/clients.js';
import type { Config } from '../config/load.js';
import { S3Monitor } from '../metrics/s3-monitor.js';
import { CLEANUP_QUEUE, processCleanupJob, type CleanupJobData, type CleanupJobDeps } from './cleanup-job.js';

export interface CleanupWorkerOptions {
  connection: Redis | ConnectionOptions;
  prefix?: string;
  /** How long a job's lock lasts without renewal: how soon another process takes over a dead one's job. */
  lockDuration?: number;
  stalledInterval?: number;
}

/** Starts the cleanup worker (one job at a time per process: a cleanup is I/O bound on one bucket). */
export function startCleanupWorker(deps: CleanupJobDeps, options: CleanupWorkerOptions): Worker<CleanupJobData> {
  const worker = new Worker<CleanupJobData>(CLEANUP_QUEUE, async (job: Job<CleanupJobData>) => processCleanupJob(deps, job), {
    connection: options.connection,
    concurrency: 1,
    // A cleanup is idempotent (it re-lists), so a job left by a dead process may be taken over many times.
    maxStalledCount: 20,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  worker.on('error', (error) => deps.logger.warn({ err: error, queue: CLEANUP_QUEUE }, 'cleanup worker error'));
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, job: job?.id, attempt: job?.attemptsMade }, 'cleanup job failed'));
  return worker;
}

/** What the worker role needs to run cleanups from its configuration. */
export interface CleanupRoleOptions extends CleanupWorkerOptions {
  config: Config;
  logger: Logger;
  /** The process's registry: deletions are counted in `utility_operations_total{operation="s3_delete"}`. */
  registry?: Registry;
  /** An S3 client of the caller's; one from the configuration by default (closed with the role). */
  s3?: S3Client;
}

/** Starts cleanup processing for the worker role: S3 client, Slack messenger, metrics, the worker. */
export function startCleanupRole(options: CleanupRoleOptions): { close(): Promise<void> } {
  const { config, logger } = options;
  const owned = options.s3 ? undefined : createAwsClients({ region: config.region, endpoint: config.env.AWS_ENDPOINT_URL, logger });
  const s3 = options.s3 ?? owned!.s3;
  const token = config.slack.botToken;
  const worker = startCleanupWorker(
    {
      s3,
      logger: logger.child({ queue: 'cleanup' }),
      now: () => new Date(),
      // A few retries, not @slack/web-api's half hour: a Slack outage must not hold the deletion up.
      ...(token ? { messenger: tokenMessenger({ token, retryConfig: { retries: 3, maxTimeout: 10_000 }, ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) }) } : {}),
      ...(options.registry ? { monitor: new S3Monitor({ registry: options.registry }) } : {}),
    },
    options,
  );
  return {
    async close() {
      await worker.close();
      owned?.s3.destroy();
      owned?.cloudWatch.destroy();
      owned?.costExplorer.destroy();
    },
  };
}
