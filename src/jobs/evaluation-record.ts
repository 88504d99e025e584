/** An alert evaluation job's outcome, recorded where operators and the next start look for it. */
import type { AlertStore } from '../alerts/store.js';
import type { Logger } from '../lib/logger.js';
import type { BotMetrics } from '../metrics/definitions.js';
import { recordAlertEvaluation } from '../metrics/worker.js';

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
