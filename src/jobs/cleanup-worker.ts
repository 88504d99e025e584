/** The worker that runs cleanup jobs; a job of a process that died is picked up again once its lock lapses. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Connections } from '@microsoft/agents-hosting';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { tokenMessenger, type ActionMessenger } from '../actions/slack-messenger.js';
import { createFleet, type S3ForBucket } from '../aws/fleet.js';
import type { Config } from '../config/load.js';
import { botMetrics } from '../metrics/definitions.js';
import { S3Monitor } from '../metrics/s3-monitor.js';
import { countingSlackFetch } from '../metrics/slack-fetch.js';
import { CLEANUP_QUEUE, processCleanupJob, type CleanupJobData, type CleanupJobDeps } from './cleanup-job.js';
import { jobProcessor } from './job-runner.js';
import { teamsCardEditor } from '../teams/card-editor.js';
import { TeamsProactive } from '../teams/proactive.js';

export interface CleanupWorkerOptions {
  connection: Redis | ConnectionOptions;
  prefix?: string;
  /** How long a job's lock lasts without renewal: how soon another process takes over a dead one's job. */
  lockDuration?: number;
  stalledInterval?: number;
  /** Where job durations go (`s3chatops_job_duration_seconds{queue="s3-chatops-cleanup"}`). */
  registry?: Registry;
}

/** Starts the cleanup worker (one job at a time per process: a cleanup is I/O bound on one bucket). */
export function startCleanupWorker(deps: CleanupJobDeps, options: CleanupWorkerOptions): Worker<CleanupJobData> {
  const processor = jobProcessor(CLEANUP_QUEUE, async (job: Job<CleanupJobData>) => processCleanupJob(deps, job), options.registry ? { registry: options.registry } : {});
  const worker = new Worker<CleanupJobData>(CLEANUP_QUEUE, processor, {
    connection: options.connection,
    concurrency: 1,
    // A cleanup is idempotent (it re-lists), so a job left by a dead process may be taken over many times.
    maxStalledCount: 20,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  worker.on('error', (error) => deps.logger.warn({ err: error, queue: CLEANUP_QUEUE }, 'cleanup worker error'));
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'cleanup job failed'));
  return worker;
}

/** What the worker role needs to run cleanups from its configuration. */
export interface CleanupRoleOptions extends CleanupWorkerOptions {
  config: Config;
  logger: Logger;
  /** The process's registry: deletions (`utility_operations_total{operation="s3_delete"}`), job durations and Slack calls. */
  registry?: Registry;
  /** An S3 client of the caller's; one from the configuration by default (closed with the role). */
  s3?: S3Client;
  /** With `s3`: the S3 client of each bucket's own account and region. */
  s3For?: S3ForBucket;
  /** Where the Teams bot's outbound tokens come from (it edits the cards of cleanups confirmed in Teams); MSAL by default. */
  teamsConnections?: Connections;
}

/** Starts cleanup processing for the worker role: S3 client, Slack messenger, the Teams bot's card editor, metrics, the worker. */
export function startCleanupRole(options: CleanupRoleOptions): { worker: Worker<CleanupJobData>; close(): Promise<void> } {
  const { config, logger } = options;
  const owned = options.s3 ? undefined : createFleet(config, { logger });
  const s3 = options.s3 ?? owned!.clients.s3;
  const token = config.slack.botToken;
  const metrics = options.registry ? botMetrics(options.registry) : undefined;
  const worker = startCleanupWorker(
    {
      s3,
      ...(owned ? { s3For: owned.s3For } : options.s3For ? { s3For: options.s3For } : {}),
      logger,
      now: () => new Date(),
      ...(config.cleanup.batchSize ? { batchSize: config.cleanup.batchSize } : {}),
      ...(token ? { messenger: cleanupMessenger(token, config.slack.apiUrl, metrics) } : {}),
      // A cleanup confirmed in Teams shows its progress and summary on the card where Delete was pressed.
      ...(config.teamsBot ? { teamsCards: teamsCardEditor(new TeamsProactive(config.teamsBot, options.teamsConnections ? { connections: options.teamsConnections } : {})) } : {}),
      ...(options.registry ? { monitor: new S3Monitor({ registry: options.registry }) } : {}),
    },
    // The configured takeover, unless the caller set the lock itself.
    { lockDuration: config.cleanup.takeoverSeconds * 1_000, stalledInterval: config.cleanup.takeoverSeconds * 1_000, ...options },
  );
  return {
    worker,
    async close() {
      await worker.close();
      owned?.release();
    },
  };
}

/**
 * The cleanup's Slack messages (progress, summary, audit line) on the `background` client, counted
 * in the Slack call metrics like every other client of the process. Its bound (about 30 s a call)
 * is the only retry of these messages: the job catches and logs their failures, so its own
 * attempts (for AWS trouble) never repeat a Slack call's retries.
 */
export function cleanupMessenger(token: string, apiUrl: string | undefined, metrics?: ReturnType<typeof botMetrics>, timeoutMs?: number): ActionMessenger {
  return tokenMessenger({ token, purpose: 'background', ...(apiUrl ? { apiUrl } : {}), ...(metrics ? { fetch: countingSlackFetch(metrics) } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
}
