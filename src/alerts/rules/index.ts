/** Every alert rule; a new rule is one file and one line here, with its finding and words in `message/alert-findings.ts` and `alert-wording.ts`. */
import { accessDeniedRule } from './access-denied.js';
import { configChangeRule } from './config-change.js';
import { costBudgetRule } from './cost-budget.js';
import { errorRateRule } from './error-rate.js';
import { latencyRule } from './latency.js';
import { noRequestMetricsRule } from './no-request-metrics.js';
import type { AlertRule, BucketRule, FleetRule } from './rule.js';
import { serverErrorsRule } from './server-errors.js';
import { sizeQuotaRule } from './size-quota.js';
import { testUploadRule } from './test-upload.js';

export const ALERT_RULES: readonly AlertRule[] = [
  errorRateRule,
  serverErrorsRule,
  latencyRule,
  sizeQuotaRule,
  costBudgetRule,
  noRequestMetricsRule,
  accessDeniedRule,
  configChangeRule,
];

/**
 * The name of every rule the bot can alert on: the metrics tick's rules and those judged
 * elsewhere (test-upload). What must cover every alert (card fixtures, docs) iterates this.
 */
export const ALL_ALERT_RULE_NAMES: readonly string[] = [...ALERT_RULES.map((r) => r.name), testUploadRule.name];

/** The rules judged per bucket. */
export function bucketRules(rules: readonly AlertRule[] = ALERT_RULES): BucketRule[] {
  return rules.filter((r): r is BucketRule => r.scope === 'bucket');
}

/** The rules judged once for the fleet. */
export function fleetRules(rules: readonly AlertRule[] = ALERT_RULES): FleetRule[] {
  return rules.filter((r): r is FleetRule => r.scope === 'fleet');
}

/** The rule of a name, or `undefined`. */
export function ruleNamed(name: string, rules: readonly AlertRule[] = ALERT_RULES): AlertRule | undefined {
  return rules.find((r) => r.name === name);
}

/** Judged when a scheduled test upload finishes (src/jobs/scheduled-test-upload.ts), not on the metrics tick. */
export { testUploadRule, type TestUploadOutcome, type TestUploadSettings } from './test-upload.js';
export type { AccessLogInput, TrailInput, AlertRule, BucketRule, FleetRule, BucketRuleInput, RequestMetricNeed } from './rule.js';
