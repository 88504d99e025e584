import type { BotMetrics } from './definitions.js';

export { addQueueDepthSource, setAlertStateSource, type AlertStateCount, type AlertStateSource, type QueueDepth, type QueueDepthSource } from './definitions.js';

/** What identifies a job in `s3chatops_job_duration_seconds`. */
export interface JobLabels {
  queue: string;
  /** The job's name (`evaluate-alerts`, `cleanup`, …), not its id: ids would make a series per job. */
  job: string;
}

/**
 * Runs a job's processor and observes its duration with its outcome; the error still reaches
 * BullMQ (so its retries and failed state work as they should).
 */
export async function observeJob<T>(metrics: Pick<BotMetrics, 'jobDuration'>, labels: JobLabels, run: () => Promise<T>): Promise<T> {
  const end = metrics.jobDuration.startTimer({ queue: labels.queue, job: labels.job });
  try {
    const result = await run();
    end({ outcome: 'success' });
    return result;
  } catch (error) {
    // A job put back to wait (a busy alert, a rate limit) did not fail.
    end({ outcome: (error as Error | undefined)?.name === 'DelayedError' ? 'delayed' : 'failure' });
    throw error;
  }
}

/** Counts one alert evaluation run; a success also stamps `s3chatops_alert_last_success_timestamp_seconds`. */
export function recordAlertEvaluation(metrics: Pick<BotMetrics, 'alertEvaluations' | 'alertLastSuccess'>, success: boolean, now: () => Date): void {
  metrics.alertEvaluations.inc({ outcome: success ? 'success' : 'failure' });
  if (success) metrics.alertLastSuccess.set(now().getTime() / 1000);
}
