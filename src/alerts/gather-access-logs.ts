/**
 * The access-log side of a tick: for buckets whose rules read server access logs (and whose
 * logging is on), the window of 4xx/5xx lines. Each log object's counts are cached in Redis by
 * the access-log reader, so a tick parses only objects delivered since the last one.
 */
import { code } from '../message/markup.js';
import pLimit from 'p-limit';
import { accessLogFailure, readAccessLogWindow } from '../access-logs/read-window.js';
import type { AccessLogPorts, BucketFacts, LoggingFact } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { RecurringProblems, SubjectOutcome } from '../lib/recurring-problems.js';
import { sourceProblems } from './source-problems.js';
import { applicableRules } from './plan.js';
import type { AccessLogInput, BucketRule } from './rules/index.js';

/** Buckets whose access logs are read at once. */
const CONCURRENCY = 4;

/** A bucket's logging configuration as the daily refresh saw it. */
export interface BucketLogging {
  logging: LoggingFact | null;
  region: string | null;
  /** Why the configuration could not be read, when it could not. */
  problem: string | null;
}

/** The logging facts kept in the chunk's cache. */
export function bucketLogging(facts: BucketFacts): BucketLogging {
  return { logging: facts.logging, region: facts.region, problem: facts.problems.find((p) => p.fact === 'logging')?.message ?? null };
}

/** The longest access-log window any applicable rule reads on `bucket`, in minutes; 0 for none. */
export function accessLogMinutes(config: Pick<Config, 'alerts' | 'budget'>, bucket: BucketConfig, rules: readonly BucketRule[]): number {
  let minutes = 0;
  for (const { rule, settings } of applicableRules(config, bucket, rules)) minutes = Math.max(minutes, rule.accessLogMinutes?.(settings) ?? 0);
  return minutes;
}

export interface GatherAccessLogsDeps {
  config: Pick<Config, 'alerts' | 'budget'>;
  ports: AccessLogPorts | undefined;
  rules: readonly BucketRule[];
  logger: Logger;
  /** Where failures are said across ticks (`gatherProblems`); absent: this run's failures are said on their own. */
  problems?: RecurringProblems;
}

/** Each bucket's access-log window ending at `end`, or why it is missing; never throws. */
export async function gatherAccessLogs(
  deps: GatherAccessLogsDeps,
  buckets: readonly BucketConfig[],
  end: Date,
  logging: Readonly<Record<string, BucketLogging | null>>,
): Promise<Record<string, AccessLogInput>> {
  const { config, ports, rules, logger } = deps;
  const out: Record<string, AccessLogInput> = {};
  const outcomes: SubjectOutcome[] = [];
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    buckets.map((bucket) =>
      limit(async () => {
        const minutes = accessLogMinutes(config, bucket, rules);
        if (minutes === 0) return;
        const known = logging[bucket.name];
        if (!ports) out[bucket.name] = { ok: false, reason: 'access logs are not available here' };
        else if (!known) out[bucket.name] = { ok: false, reason: 'the logging configuration could not be read' };
        else if (known.problem) out[bucket.name] = { ok: false, reason: `its logging configuration could not be read (${known.problem})` };
        else if (!known.logging) out[bucket.name] = { ok: false, reason: 'server access logging is off for this bucket' };
        else {
          const start = new Date(end.getTime() - minutes * 60_000);
          try {
            const window = await readAccessLogWindow({ ports, logging: known.logging, source: { bucket: bucket.name, region: known.region }, start, end, logger });
            out[bucket.name] = { ok: true, start, end, errors: window.errors, newestRecordAt: window.newestRecordAt };
            outcomes.push({ subject: bucket.name, problem: null });
          } catch (error) {
            const reason = `its access log in ${code(known.logging.targetBucket)} could not be read: ${accessLogFailure(error)}`;
            outcomes.push({ subject: bucket.name, problem: { key: reason, error } });
            out[bucket.name] = { ok: false, reason };
          }
        }
      }),
    ),
  );
  (deps.problems ?? sourceProblems('accessLogs', logger, config)).report(outcomes);
  return out;
}
