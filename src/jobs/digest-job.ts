/**
 * The daily digest job: gathers, builds and posts the digest to `channels.digest`, the channel
 * message first and then its thread replies. It is safe to retry and to enqueue from any number
 * of workers: the job id comes from the schedule slot (one job a local day), the built digest is
 * kept per slot so a retry posts the same figures, and every posted `ts` is recorded so a retry
 * posts only what is still missing.
 */
import { UnrecoverableError, type JobsOptions } from 'bullmq';
import type { AwsPorts } from '../aws/ports.js';
import type { Logger } from '../lib/logger.js';
import { digestSlot } from '../lib/schedule.js';
import type { DigestConfig } from '../reports/digest/gather.js';
import { makeDigest } from '../reports/digest/make.js';
import type { DigestReport, DigestSources } from '../reports/digest/types.js';
import type { DigestLedger } from './digest-ledger.js';
import type { DigestPoster } from './digest-poster.js';
import type { TeamsFeed } from '../notify/teams-feed.js';

export const DIGEST_JOB_NAME = 'digest';

/** What a digest job carries: the local date it is for. */
export interface DigestJobData {
  slot: string;
}

export interface DigestJobConfig extends DigestConfig {
  channels: { digest?: string };
  schedules: DigestConfig['schedules'] & { digestTime: string };
}

export interface DigestJobDeps {
  config: DigestJobConfig;
  aws: AwsPorts;
  poster: DigestPoster;
  ledger: DigestLedger;
  now: () => Date;
  logger: Logger;
  sources?: DigestSources;
  /** The Teams queue, when TEAMS_WEBHOOK_URL is set: the digest goes there too, as one card. */
  teams?: Pick<TeamsFeed, 'digest'>;
}

export interface DigestJobResult {
  slot: string;
  channel: string;
  mainTs: string;
  /** Messages this attempt posted (0 when an earlier attempt had posted them all). */
  posted: number;
  replies: number;
}

/** The BullMQ job id of a slot's digest (BullMQ ids may not contain `:`). */
export function digestJobId(slot: string): string {
  return `digest-${slot}`;
}

/**
 * The job to enqueue for the digest due at `now`: named by its slot, so however many workers
 * enqueue it at a tick, BullMQ keeps one. Completed jobs are kept for three days, as a removed
 * job's id could be enqueued again; the ledger would still keep it from posting twice. Its six
 * attempts (30 s, 1, 2, 4, 8 min apart) are the retry of an outage of AWS, Redis or Slack; within
 * one post the `background` Slack client only rides out a blip or a 429 (about 30 s at most), so
 * the two layers do not multiply into a long stall, and each attempt posts only what is missing.
 */
export function digestJobFor(now: Date, config: Pick<DigestJobConfig, 'schedules'>): { name: string; data: DigestJobData; opts: JobsOptions } {
  const slot = digestSlot(now, config.schedules.digestTime, config.schedules.timezone);
  return {
    name: DIGEST_JOB_NAME,
    data: { slot },
    opts: {
      jobId: digestJobId(slot),
      attempts: 6,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: { age: 3 * 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    },
  };
}

/** Gathers, builds and posts one slot's digest; posts only what earlier attempts did not. */
export async function processDigestJob(deps: DigestJobDeps, data: DigestJobData): Promise<DigestJobResult> {
  const { config, ledger, poster } = deps;
  const channel = config.channels.digest;
  // Retrying cannot set a channel; the job fails for good with a message that says what to do.
  if (!channel && !deps.teams) throw new UnrecoverableError('channels.digest is not set in the configuration; the daily digest has nowhere to go');
  const slot = data.slot;
  const log = deps.logger.child({ job: DIGEST_JOB_NAME, slot, channel });

  // Read first: with Redis down the attempt fails here, before anything is posted, and is retried.
  const posted = await ledger.posted(slot);
  const report = (await ledger.report(slot)) ?? (await ledger.keepReport(slot, await build(deps, slot)));
  // Teams gets the same figures on its own queue (one job a slot), before Slack can fail this attempt.
  await deps.teams?.digest(slot, report);
  if (!channel) {
    log.info('digest queued for Teams only: channels.digest is not set');
    return { slot, channel: '', mainTs: '', posted: 0, replies: 0 };
  }
  if (posted.main && report.thread.every((_, i) => posted.replies[i] !== undefined)) {
    log.info('digest already posted for this slot; nothing to do');
    return { slot, channel, mainTs: posted.main, posted: 0, replies: report.thread.length };
  }

  let count = 0;
  let mainTs = posted.main;
  if (!mainTs) {
    mainTs = (await poster.post(channel, report.main)).ts;
    await ledger.recordMain(slot, mainTs);
    count += 1;
  }
  // In order, one at a time: replies read top to bottom, and Slack allows about one message a second a channel.
  for (const [i, message] of report.thread.entries()) {
    if (posted.replies[i] !== undefined) continue;
    const { ts } = await poster.post(channel, message, mainTs);
    await ledger.recordReply(slot, i, ts);
    count += 1;
  }
  log.info({ posted: count, replies: report.thread.length, mainTs }, 'digest posted');
  return { slot, channel, mainTs, posted: count, replies: report.thread.length };
}

async function build(deps: DigestJobDeps, slot: string): Promise<DigestReport> {
  const { report } = await makeDigest(deps.aws, deps.config, { now: deps.now(), day: slot, ...(deps.sources ? { sources: deps.sources } : {}) });
  return report;
}
