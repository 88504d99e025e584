/**
 * The scheduled test upload (`schedules.testUpload`): every process ticks, the job id from the slot
 * and the bucket keeps one upload per bucket per slot; each result is judged by the `test-upload`
 * rule and committed through the alert store, so a failure alerts like any other rule.
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { commitUntilSettled, CONFLICT } from '../alerts/commit-retry.js';
import { testUploadRule } from '../alerts/rules/test-upload.js';
import { applyVerdict, initialState } from '../alerts/state-machine.js';
import type { AlertStore } from '../alerts/store.js';
import { alertId, type AlertEvent } from '../alerts/types.js';
import { bucketS3, createFleet, type S3ForBucket } from '../aws/fleet.js';
import type { Config } from '../config/load.js';
import { jobProcessor } from './job-runner.js';
import { cronTicks, type TickSource } from './tick-source.js';
import { S3Monitor } from '../metrics/s3-monitor.js';
import type { TestUploadResult } from '../actions/test-upload.js';
import { runConfiguredTestUpload } from '../actions/test-upload-settings.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import { openSharedQueue } from '../lib/open-queue.js';

export const TEST_UPLOAD_QUEUE = 's3-chatops-test-upload';
export const SCHEDULED_TEST_UPLOAD_JOB = 'scheduled-test-upload';

export interface ScheduledTestUploadData {
  bucket: string;
  /** The tick's slot (ISO), the same in every process. */
  slot: string;
}

/** One job per bucket per slot, however many processes tick. */
export function scheduledTestUploadJobId(slot: Date, bucket: string): string {
  return `test-upload-${slot.getTime()}-${createHash('sha256').update(bucket).digest('hex').slice(0, 16)}`;
}

export interface ScheduledTestUploadDeps {
  config: Pick<Config, 'buckets' | 'alerts' | 'testUpload'>;
  s3: S3Client;
  /** The S3 client of each bucket's own account and region; absent: `s3` for every bucket. */
  s3For?: S3ForBucket;
  store: AlertStore;
  /** Queues the deliveries of committed alert events (the notify queue). */
  enqueue: (events: readonly AlertEvent[]) => Promise<void>;
  logger: Logger;
  now: () => Date;
  monitor?: S3Monitor;
}

const COMMIT_ATTEMPTS = 5;

/** Runs one bucket's scheduled upload and commits the rule's verdict; returns the result. */
export async function processScheduledTestUpload(deps: ScheduledTestUploadDeps, data: ScheduledTestUploadData): Promise<TestUploadResult | null> {
  const bucket = deps.config.buckets.find((b) => b.name === data.bucket);
  if (!bucket) return null;
  const settings = testUploadRule.settings(deps.config, bucket);
  const result = await runConfiguredTestUpload({ s3: await bucketS3(deps, data.bucket), logger: deps.logger, now: deps.now, ...(deps.monitor ? { monitor: deps.monitor } : {}) }, deps.config, bucket);
  if (!settings) return result;
  const verdict = testUploadRule.judge(result, settings);
  const key = { rule: testUploadRule.name, bucket: bucket.name };
  const policy = { repeatMs: deps.config.alerts.repeatHours * 3_600_000, repeats: testUploadRule.repeats };
  const outcome = await commitUntilSettled(COMMIT_ATTEMPTS, async () => {
    const now = deps.now();
    const [stored] = await deps.store.getStates([alertId(key)]);
    const current = stored ?? initialState(key, testUploadRule.severity, now);
    const { state, events } = applyVerdict(current, verdict, { slot: new Date(data.slot), now }, policy);
    // The marker makes a retried job of the same slot commit nothing twice.
    const committed = await deps.store.commit([{ expectedVersion: current.version, state, events }], { chunk: `test-upload:${bucket.name}`, at: data.slot });
    if (committed === 'seen') return result;
    if (committed !== 'ok') return CONFLICT;
    await deps.enqueue(events);
    return result;
  });
  if (outcome !== CONFLICT) return outcome;
  throw new Error(`the test-upload alert of ${bucket.name} kept changing during ${COMMIT_ATTEMPTS} commits; the job will retry`);
}

export interface ScheduledTestUploadOptions extends Omit<ScheduledTestUploadDeps, 's3' | 'monitor' | 'now' | 'config'> {
  config: Config;
  /** The worker's connection (waits out Redis outages) and the producer's (fails fast). */
  connection: Redis | ConnectionOptions;
  producer: Redis;
  prefix?: string;
  s3?: S3Client;
  registry?: Registry;
  /** node-cron on `schedules.testUpload` by default. */
  ticks?: TickSource;
}

/** Starts the schedule and its worker; `null` when `schedules.testUpload` is not set. */
export function startScheduledTestUploads(options: ScheduledTestUploadOptions): { worker: Worker; close(): Promise<void> } | null {
  const { config, logger } = options;
  const schedule = config.schedules.testUpload;
  if (!schedule && !options.ticks) return null;
  const owned = options.s3 ? undefined : createFleet(config, { logger });
  const deps: ScheduledTestUploadDeps = {
    config,
    s3: options.s3 ?? owned!.clients.s3,
    ...(owned ? { s3For: owned.s3For } : options.s3For ? { s3For: options.s3For } : {}),
    store: options.store,
    enqueue: options.enqueue,
    logger,
    now: () => new Date(),
    ...(options.registry ? { monitor: new S3Monitor({ registry: options.registry }) } : {}),
  };
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const queue = openSharedQueue(TEST_UPLOAD_QUEUE, options.producer, options.prefix);
  queue.on('error', (error) => logger.warn({ err: error }, 'test upload queue error'));
  // Timed and logged with its job id like every job of the worker role.
  const processor = jobProcessor(TEST_UPLOAD_QUEUE, async (job: Job<ScheduledTestUploadData>) => processScheduledTestUpload(deps, job.data), options.registry ? { registry: options.registry } : {});
  const worker = new Worker(TEST_UPLOAD_QUEUE, processor, { connection: options.connection, concurrency: 2, ...prefix });
  worker.on('error', (error) => logger.warn({ err: error }, 'test upload worker error'));
  const ticks = (options.ticks ?? cronTicks(schedule!, config.schedules.timezone, 'schedules.testUpload'))((slot) => {
    const jobs = config.buckets.map((b) => ({
      name: SCHEDULED_TEST_UPLOAD_JOB,
      data: { bucket: b.name, slot: slot.toISOString() } satisfies ScheduledTestUploadData,
      opts: { jobId: scheduledTestUploadJobId(slot, b.name), attempts: 2, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
    }));
    queue.addBulk(jobs).catch((error: unknown) => logger.warn({ err: error, slot: slot.toISOString() }, 'could not enqueue the scheduled test uploads'));
  });
  return {
    worker,
    async close() {
      ticks.stop();
      await worker.close();
      await closeSharedQueue(queue);
      owned?.release();
    },
  };
}
