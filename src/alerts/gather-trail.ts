/**
 * The CloudTrail side of a tick: for buckets whose rules read configuration changes, the changes
 * over the longest window those rules ask, read up to the tick itself (not the metrics' delayed
 * end), so a change CloudTrail has is judged on the next tick.
 */
import pLimit from 'p-limit';
import type { ManagementEventsPort } from '../aws/ports.js';
import { bucketChanges } from '../cloudtrail/bucket-changes.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import { userMessageOf } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { RecurringProblems, SubjectOutcome } from '../lib/recurring-problems.js';
import { sourceProblems } from './source-problems.js';
import { applicableRules } from './plan.js';
import type { BucketRule, TrailInput } from './rules/index.js';

/** Buckets read at once; the shared pace (2 a second) spreads them further. */
const CONCURRENCY = 2;

/** The longest CloudTrail window any applicable rule reads on `bucket`, in hours; 0 for none. */
export function trailHours(config: Pick<Config, 'alerts' | 'budget'>, bucket: BucketConfig, rules: readonly BucketRule[]): number {
  let hours = 0;
  for (const { rule, settings } of applicableRules(config, bucket, rules)) hours = Math.max(hours, rule.trailHours?.(settings) ?? 0);
  return hours;
}

export interface GatherTrailDeps {
  config: Pick<Config, 'alerts' | 'budget'>;
  trail: ManagementEventsPort | undefined;
  rules: readonly BucketRule[];
  logger: Logger;
  /** Where failures are said across ticks (`gatherProblems`); absent: this run's failures are said on their own. */
  problems?: RecurringProblems;
}

/** Each bucket's changes over its window ending at `now`, or why they are missing; never throws. */
export async function gatherTrail(deps: GatherTrailDeps, buckets: readonly BucketConfig[], now: Date): Promise<Record<string, TrailInput>> {
  const out: Record<string, TrailInput> = {};
  const outcomes: SubjectOutcome[] = [];
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    buckets.map((bucket) =>
      limit(async () => {
        const hours = trailHours(deps.config, bucket, deps.rules);
        if (hours === 0) return;
        if (!deps.trail) {
          out[bucket.name] = { ok: false, reason: 'CloudTrail is not available here' };
          return;
        }
        const start = new Date(now.getTime() - hours * 3_600_000);
        try {
          const records = await deps.trail.bucketEvents(bucket.name, { start, end: now });
          out[bucket.name] = { ok: true, start, end: now, changes: bucketChanges(records).filter((c) => c.time >= start) };
          outcomes.push({ subject: bucket.name, problem: null });
        } catch (error) {
          // The same reason (a missing permission is the account's) is one problem for every bucket it hits.
          const reason = userMessageOf(error);
          outcomes.push({ subject: bucket.name, problem: { key: reason, error } });
          out[bucket.name] = { ok: false, reason: `CloudTrail could not be read: ${reason}` };
        }
      }),
    ),
  );
  (deps.problems ?? sourceProblems('trail', deps.logger, deps.config)).report(outcomes);
  return out;
}
