/**
 * How a source the alert rules read and cannot (CloudTrail, an access log) is said: once when it
 * starts (one line for every bucket it hits), again while it lasts as often as a firing alert is
 * repeated, and once when it reads again. A long-running worker keeps one per source across ticks.
 */
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { RecurringProblems } from '../lib/recurring-problems.js';

const SAID = {
  trail: { failing: 'could not read CloudTrail for the config-change alert; it is not judged for these buckets', recovered: 'CloudTrail reads again for the config-change alert' },
  accessLogs: { failing: 'could not read the access log for the access-denied alert; it is not judged for these buckets', recovered: 'the access log reads again for the access-denied alert' },
} as const;

export type GatherSource = keyof typeof SAID;

/** Where a worker says, across ticks, the sources its rules could not read. */
export type GatherProblems = Record<GatherSource, RecurringProblems>;

/** The problems of one source. */
export function sourceProblems(source: GatherSource, logger: Logger, config: Pick<Config, 'alerts'>, now: () => number = Date.now): RecurringProblems {
  return new RecurringProblems(logger, { ...SAID[source], now, repeatMs: config.alerts.repeatHours * 3_600_000 });
}

/** One per long-running process: a source that stays unreadable is said once, not each tick for each bucket. */
export function gatherProblems(logger: Logger, config: Pick<Config, 'alerts'>, now: () => number = Date.now): GatherProblems {
  return { trail: sourceProblems('trail', logger, config, now), accessLogs: sourceProblems('accessLogs', logger, config, now) };
}
