/** One tick's evaluation of one chunk of buckets: gather, judge every rule, commit state and events once. */
import type { AwsPorts } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import { computeCosts, gatherCosts } from '../reports/costs.js';
import { floorToMinute } from '../reports/s3-metrics.js';
import { gatherChunk, LATE_DATA_MS } from './gather.js';
import type { GatherProblems } from './source-problems.js';
import { applicableRules } from './plan.js';
import { ALERT_RULES, bucketRules, fleetRules, type AlertRule } from './rules/index.js';
import { commitUntilSettled, CONFLICT } from './commit-retry.js';
import { applyVerdict, initialState } from './state-machine.js';
import type { AlertStore, AlertWrite } from './store.js';
import type { AlertEvent, RuleName, Verdict } from './types.js';
import { alertId } from './types.js';

export interface EvaluateDeps {
  config: Pick<Config, 'alerts' | 'budget' | 'buckets'>;
  aws: Pick<AwsPorts, 'metrics' | 'facts' | 'costs' | 'accessLogs' | 'trail'>;
  store: AlertStore;
  logger: Logger;
  rules?: readonly AlertRule[];
  /** Where read failures are said across ticks (`gatherProblems`): a long-running worker keeps one. */
  problems?: GatherProblems;
}

/** A chunk of one tick: which buckets, for which slot, judged as of `at`. */
export interface ChunkTask {
  chunk: number;
  /** The tick's slot (ISO); a chunk is applied at most once per slot. */
  slot: string;
  /** The time the data is judged at (ISO): the slot itself, except in tests that drive a faster clock. */
  at: string;
  buckets: BucketConfig[];
  /** The chunk that also judges the fleet-wide rules (cost). */
  fleet: boolean;
}

export interface ChunkOutcome {
  outcome: 'evaluated' | 'seen';
  events: AlertEvent[];
  metricCalls: number;
  verdicts: { rule: RuleName; bucket: string; verdict: Verdict }[];
}

const COMMIT_ATTEMPTS = 5;

/**
 * What a tick at `at` judges, as a CloudWatch alarm with an evaluation delay would: request-metric
 * periods ending `delayMinutes` before it, and, up to the re-read window, a newest period still
 * without a datapoint counts as not arrived rather than as not breaching.
 */
export function judgedWindow(at: Date, delayMinutes: number): { end: Date; settledBy: Date } {
  const now = floorToMinute(at).getTime();
  return { end: new Date(now - delayMinutes * 60_000), settledBy: new Date(now - LATE_DATA_MS) };
}

/** Evaluates a chunk once: a slot already applied (by any process) is skipped. */
export async function evaluateChunk(deps: EvaluateDeps, task: ChunkTask, options: { commit?: boolean } = {}): Promise<ChunkOutcome> {
  const { config, store, logger } = deps;
  const rules = deps.rules ?? ALERT_RULES;
  const chunkKey = String(task.chunk);
  const commit = options.commit ?? true;
  if (commit) {
    const last = await store.lastSlot(chunkKey);
    if (last !== null && last >= task.slot) return { outcome: 'seen', events: [], metricCalls: 0, verdicts: [] };
  }
  const at = new Date(task.at);
  const now = floorToMinute(at);
  const { end, settledBy } = judgedWindow(at, config.alerts.evaluationDelayMinutes);
  const gathered = await gatherChunk({ config, aws: deps.aws, store, rules: bucketRules(rules), logger, ...(deps.problems ? { problems: deps.problems } : {}) }, chunkKey, task.buckets, now, { requestEnd: end });

  const verdicts: ChunkOutcome['verdicts'] = [];
  const policies = new Map<string, { severity: AlertRule['severity']; repeats: boolean }>();
  for (const bucket of task.buckets) {
    for (const { rule, settings } of applicableRules(config, bucket, bucketRules(rules))) {
      const stored = gathered.signals.storage[bucket.name];
      const verdict = rule.evaluate({
        bucket,
        settings,
        end,
        settledBy,
        requestPoints: (need) => gathered.pointsOf(bucket, need),
        storageBytes: stored ? [{ timestamp: new Date(stored[0]), value: stored[1] }] : [],
        requestMetricsConfigured: gathered.signals.requestMetrics[bucket.name] ?? null,
        ...(gathered.accessLogs[bucket.name] ? { accessLog: gathered.accessLogs[bucket.name] } : {}),
        ...(gathered.trail[bucket.name] ? { trail: gathered.trail[bucket.name] } : {}),
      });
      verdicts.push({ rule: rule.name, bucket: bucket.name, verdict });
      policies.set(alertId({ rule: rule.name, bucket: bucket.name }), { severity: rule.severity, repeats: rule.repeats });
    }
  }
  if (task.fleet) {
    for (const rule of fleetRules(rules)) {
      const settings = rule.settings(config);
      if (settings === null) continue;
      try {
        const costs = computeCosts(await gatherCosts(deps.aws as AwsPorts, config, at));
        verdicts.push({ rule: rule.name, bucket: '*', verdict: rule.evaluate(costs, settings) });
        policies.set(alertId({ rule: rule.name, bucket: '*' }), { severity: rule.severity, repeats: rule.repeats });
      } catch (error) {
        // The alert keeps its state; the next tick tries again (Cost Explorer answers are cached).
        logger.warn({ err: error, rule: rule.name }, 'could not read costs; the cost alert keeps its state this tick');
      }
    }
  }
  if (!commit) return { outcome: 'evaluated', events: [], metricCalls: gathered.metricCalls, verdicts };

  const repeatMs = config.alerts.repeatHours * 3_600_000;
  const ids = verdicts.map((v) => alertId(v));
  const committed = await commitUntilSettled<ChunkOutcome>(
    COMMIT_ATTEMPTS,
    async () => {
      const states = await store.getStates(ids);
      const writes: AlertWrite[] = verdicts.map((v, i) => {
        const policy = policies.get(ids[i]!)!;
        const current = states[i] ?? initialState({ rule: v.rule, bucket: v.bucket }, policy.severity, at);
        const { state, events } = applyVerdict(current, v.verdict, { slot: new Date(task.slot), now: at }, { repeatMs, repeats: policy.repeats });
        return { expectedVersion: current.version, state, events };
      });
      const result = await store.commit(writes, { chunk: chunkKey, at: task.slot });
      if (result === 'seen') return { outcome: 'seen', events: [], metricCalls: gathered.metricCalls, verdicts };
      if (result === 'ok') return { outcome: 'evaluated', events: writes.flatMap((w) => w.events), metricCalls: gathered.metricCalls, verdicts };
      return CONFLICT;
    },
    (attempt) => logger.debug({ chunk: task.chunk, attempt }, 'alert states changed while evaluating (a button press); recomputing'),
  );
  if (committed !== CONFLICT) return committed;
  throw new Error(`alert states of chunk ${task.chunk} kept changing during ${COMMIT_ATTEMPTS} commits; the job will retry`);
}
