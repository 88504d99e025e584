/** The cleanup job: its queue, id, data and processor. The processor resumes from the progress BullMQ kept. */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { executeCleanup, type CleanupProgress } from '../actions/cleanup-executor.js';
import { cleanupAuditText, cleanupProgressMessage, cleanupSummaryMessage } from '../actions/cleanup-messages.js';
import type { CleanupJobData, TeamsCardEditor } from '../actions/cleanup-start.js';
import type { ActionMessenger } from '../actions/slack-messenger.js';
import { bucketS3, type S3ForBucket } from '../aws/fleet.js';
import { UserFacingError, userMessageOf } from '../lib/errors.js';
import type { Message } from '../message/model.js';
import type { S3Monitor } from '../metrics/s3-monitor.js';

export const CLEANUP_QUEUE = 's3-chatops-cleanup';
export const CLEANUP_JOB = 'cleanup';

export type { CleanupJobData } from '../actions/cleanup-start.js';

/** One deletion per preview: the id comes from the bucket and the cutoff the preview fixed. */
export function cleanupJobId(bucket: string, cutoff: string): string {
  return `cleanup-${createHash('sha256').update(`${bucket}\u0000${cutoff}`).digest('hex').slice(0, 32)}`;
}

/** Retries for AWS or Slack trouble; kept a week so a repeated press finds the id taken. */
export const CLEANUP_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface CleanupJobDeps {
  s3: S3Client;
  /** The S3 client of each bucket's own account and region; absent: `s3` for every bucket. */
  s3For?: S3ForBucket;
  logger: Logger;
  messenger?: ActionMessenger;
  /** Edits the preview card of a cleanup confirmed in Teams (the bot's identity); absent without it. */
  teamsCards?: TeamsCardEditor;
  monitor?: S3Monitor;
  now: () => Date;
  /** The least time between two progress edits of the message. */
  progressEveryMs?: number;
  batchSize?: number;
  /** A millisecond clock for spacing the progress edits; `Date.now` by default. */
  clock?: () => number;
}

/** Runs (or resumes) one cleanup job; edits its message with progress at most every few seconds. */
export async function processCleanupJob(deps: CleanupJobDeps, job: Job<CleanupJobData>): Promise<CleanupProgress> {
  const { data } = job;
  // The job's id comes from the log context of the worker's processor.
  const log = deps.logger.child({ bucket: data.bucket, user: data.user });
  const previous = isProgress(job.progress) ? job.progress : undefined;
  if (previous?.done) return previous;
  const every = deps.progressEveryMs ?? 3_000;
  const clock = deps.clock ?? Date.now;
  // The first batch is always shown; after it, one edit per `every` however many batches finish.
  let lastEdit: number | undefined;
  const edit = (progress: CleanupProgress) => editMessages(deps, data, cleanupProgressMessage(data.label, data.user, progress), log, 'could not edit the cleanup message with its progress');
  let result: CleanupProgress;
  try {
    result = await executeCleanup(
      {
        s3: await bucketS3(deps, data.bucket),
        logger: log,
        ...(deps.monitor ? { monitor: deps.monitor } : {}),
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
        onProgress: async (progress) => {
          // Recorded after every batch: a restarted job starts its count here and re-lists the rest.
          await job.updateProgress(progress);
          const at = clock();
          if (lastEdit === undefined || at - lastEdit >= every) {
            lastEdit = at;
            await edit(progress);
          }
        },
      },
      data.bucket,
      { prefix: data.prefix, cutoff: new Date(data.cutoff), includeUnmarked: data.includeUnmarked ?? false, ...(data.maxKeys !== undefined ? { maxKeys: data.maxKeys } : {}) },
      previous,
    );
  } catch (error) {
    log.error({ err: error }, 'cleanup failed');
    // A refused plan (bad_input) will not get better by retrying.
    const permanent = error instanceof UserFacingError && (error.code === 'aws_access_denied' || error.code === 'aws_not_found' || error.code === 'bad_input');
    if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await tell(deps, data, `Cleanup of ${data.label} stopped: ${userMessageOf(error)}`, log);
    throw permanent ? new UnrecoverableError(userMessageOf(error)) : error;
  }
  const finishedAt = deps.now();
  await editMessages(deps, data, cleanupSummaryMessage(data.label, data.user, result, finishedAt), log, 'could not edit the cleanup summary');
  if (deps.messenger && data.auditChannel) {
    const text = cleanupAuditText({ user: data.user, bucket: data.bucket, at: finishedAt, progress: result });
    await deps.messenger.post(data.auditChannel, { summary: text, blocks: [{ kind: 'text', text }] }).catch((error: unknown) => log.warn({ err: error }, 'could not post the cleanup to the audit channel'));
  }
  log.info({ audit: true, deleted: result.deleted, bytes: result.bytes, failures: result.failedCount }, 'cleanup done');
  await job.updateProgress(result);
  return result;
}

async function tell(deps: CleanupJobDeps, data: CleanupJobData, text: string, log: Logger): Promise<void> {
  await editMessages(deps, data, { summary: text, blocks: [{ kind: 'text', text }] }, log, 'could not edit the cleanup message');
}

/**
 * Shows `message` where the cleanup was confirmed: the Slack message and/or the Teams card. Each
 * edit is bounded by its client; a failure is logged and never stops the deletion.
 */
async function editMessages(deps: CleanupJobDeps, data: CleanupJobData, message: Message, log: Logger, problem: string): Promise<void> {
  const edits: Promise<unknown>[] = [];
  if (deps.messenger && data.message) edits.push(deps.messenger.update(data.message, message).catch((error: unknown) => log.warn({ err: error, surface: 'slack' }, problem)));
  if (deps.teamsCards && data.teamsCard) edits.push(deps.teamsCards.update(data.teamsCard, message).catch((error: unknown) => log.warn({ err: error, surface: 'teams' }, problem)));
  await Promise.all(edits);
}

function isProgress(value: unknown): value is CleanupProgress {
  return typeof value === 'object' && value !== null && typeof (value as CleanupProgress).deleted === 'number';
}
