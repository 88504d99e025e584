/** An alert evaluation job's outcome, recorded where operators and the next start look for it. */
import type { AlertStore } from '../alerts/store.js';
import type { Logger } from '../lib/logger.js';
import type { BotMetrics } from '../metrics/definitions.js';
import { recordAlertEvaluation } from '../metrics/worker.js';
import { retryUntilDone } from './retry-until.js';

/** The most between two tries of reading the last evaluation success while Redis does not answer. */
const LAST_SUCCESS_RETRY_MS = 30_000;
const DAY_MS = 86_400_000;

export interface EvaluationRecordDeps {
  metrics: Pick<BotMetrics, 'alertEvaluations' | 'alertLastSuccess'>;
  now: () => Date;
  store: Pick<AlertStore, 'evaluationSucceeded'>;
  log: Logger;
}

/** Runs an evaluation job and records its outcome: in the metrics, and a success in Redis for the next start. */
export async function evaluateRecorded<T>(deps: EvaluationRecordDeps, run: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    recordAlertEvaluation(deps.metrics, false, deps.now);
    throw error;
  }
  recordAlertEvaluation(deps.metrics, true, deps.now);
  // Not awaited: with Redis gone just now, the job must not wait on this record to complete.
  void deps.store.evaluationSucceeded(deps.now()).catch((error: unknown) => deps.log.warn({ err: error }, 'could not record the alert evaluation success in Redis'));
  return result;
}

export interface LastSuccessReadDeps {
  metrics: Pick<BotMetrics, 'alertLastSuccess'>;
  store: Pick<AlertStore, 'lastEvaluationSuccess'>;
  /** The store's connection: once it is back, a read left waiting is tried at once. */
  connection: { on(event: 'ready', listener: () => void): unknown };
  /** When this worker started watching. */
  startedAt: Date;
  log: Logger;
}

/**
 * Sets the last-success gauge from the deployment's record in Redis, not this worker's start: a
 * worker that keeps restarting before any evaluation succeeds must show as stale (none yet: when
 * the first worker started). Nothing stands in for it until Redis answers; each read has the
 * store's deadline and is tried again after it, sooner once Redis reconnects. `stop` ends the tries.
 */
export function readLastSuccess(deps: LastSuccessReadDeps): { stop(): void } {
  const read = retryUntilDone({ firstRetryMs: 1_000, everyMs: LAST_SUCCESS_RETRY_MS, forMs: DAY_MS, logger: deps.log, what: 'read the last alert evaluation success from Redis' });
  deps.connection.on('ready', () => read.retryNow());
  read.run(async () => {
    const at = await deps.store.lastEvaluationSuccess(deps.startedAt);
    // A success of this worker's own in the meantime is newer than anything stored.
    const current = (await deps.metrics.alertLastSuccess.get()).values[0]?.value ?? 0;
    deps.metrics.alertLastSuccess.set(Math.max(current, at.getTime() / 1000));
  });
  return read;
}
