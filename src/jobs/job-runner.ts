/**
 * What every BullMQ processor of the worker role runs through, and how the role's workers stop:
 * each job's log lines carry its id, its duration is observed, and a shutdown within a bound
 * knows which jobs it left behind.
 */
import type { Job, Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import { withLogContext, type Logger } from '../lib/logger.js';
import { botMetrics, type BotMetrics } from '../metrics/definitions.js';
import { observeJob } from '../metrics/worker.js';

/** A job being processed in this process. */
export interface RunningJob {
  queue: string;
  name: string;
  id: string | undefined;
  startedAt: Date;
}

// The jobs this process is working on, across all its workers; a bounded shutdown names those it abandons.
const running = new Set<RunningJob>();

/** Where a processor's duration is observed: the metrics, or the registry they live on. */
export type JobTiming = { metrics: Pick<BotMetrics, 'jobDuration'> } | { registry: Registry } | Record<string, never>;

/**
 * Wraps a BullMQ processor: it runs in a log context of `jobId`, `queue` and `jobName`, its
 * duration goes to `s3chatops_job_duration_seconds{queue, job, outcome}` when metrics are given,
 * and it is listed among the running jobs while it runs. Errors still reach BullMQ.
 */
export function jobProcessor<J extends Job, R>(queue: string, processJob: (job: J, token?: string) => Promise<R>, timing: JobTiming = {}): (job: J, token?: string) => Promise<R> {
  const metrics = 'metrics' in timing ? timing.metrics : 'registry' in timing ? botMetrics(timing.registry) : undefined;
  return (job, token) => {
    const entry: RunningJob = { queue, name: job.name, id: job.id, startedAt: new Date() };
    running.add(entry);
    const run = () => withLogContext({ jobId: job.id, queue, jobName: job.name }, () => processJob(job, token));
    const work = metrics ? observeJob(metrics, { queue, job: job.name }, run) : run();
    return work.finally(() => running.delete(entry));
  };
}

/** The jobs of `queues` this process is running now (all of them without `queues`). */
export function runningJobs(queues?: readonly string[]): RunningJob[] {
  return [...running].filter((j) => !queues || queues.includes(j.queue));
}

/** Default bound of a worker's shutdown: inside the 30 s Docker and Kubernetes give before SIGKILL. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * Closes `workers` within `timeoutMs`: they take no new job and their running jobs may finish;
 * when time runs out they are closed by force, so the jobs left stop having their locks renewed,
 * the locks lapse and another worker retries them. Resolves true when every job finished in time.
 */
export async function closeWorkersWithin(workers: readonly Worker[], timeoutMs: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  // pause() stops fetching and waits for the jobs in hand; close() once paused has none to wait for.
  // (A graceful close() could not be forced later: BullMQ returns the pending close to close(true).)
  const finished = await Promise.race([Promise.allSettled(workers.map((w) => w.pause())).then(() => true), timeUp]);
  clearTimeout(timer);
  if (!finished) {
    const left = runningJobs(workers.map((w) => w.name)).map((j) => ({ queue: j.queue, jobName: j.name, jobId: j.id, runningSeconds: Math.round((Date.now() - j.startedAt.getTime()) / 1000) }));
    logger.warn({ timeoutMs, left }, 'jobs still running when the shutdown time ran out; closing anyway: their locks lapse and another worker retries them');
  }
  await Promise.allSettled(workers.map((w) => w.close(true)));
  return finished;
}
