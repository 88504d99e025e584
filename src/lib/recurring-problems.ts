/**
 * A problem that comes back on every run (a permission missing, met on each tick for each bucket)
 * said to the operator once: a warning when it starts, again only while it persists after
 * `repeatMs`, and one line when every subject it hit works again. Kept per process.
 */
import type { Logger } from './logger.js';

export interface RecurringProblemsOptions {
  /** What failed, for the warning, e.g. `could not read CloudTrail for the config-change alert`. */
  failing: string;
  /** The line said once every subject works again. */
  recovered: string;
  /** How long a problem that persists stays unsaid after it was said. */
  repeatMs: number;
  /** Subjects named in one line; the rest are counted. */
  namedSubjects?: number;
  now?: () => number;
}

/** One subject's outcome this run: the problem it met (said the same for every subject it hits), or `null` when it worked. */
export interface SubjectOutcome {
  subject: string;
  problem: { key: string; error: unknown } | null;
}

interface OpenProblem {
  since: number;
  saidAt: number;
  subjects: Set<string>;
  /** Times met since it was last said. */
  unsaid: number;
}

/** Problems still met, by key, with when they were last said; outcomes are reported run by run. */
export class RecurringProblems {
  private readonly open = new Map<string, OpenProblem>();

  constructor(
    private readonly logger: Logger,
    private readonly options: RecurringProblemsOptions,
  ) {}

  /** Takes one run's outcomes (a run may cover some subjects only); logs what is new, due again, or over. */
  report(outcomes: readonly SubjectOutcome[]): void {
    const now = (this.options.now ?? Date.now)();
    const met = new Map<string, { error: unknown; subjects: string[] }>();
    for (const { subject, problem } of outcomes) {
      // This run's outcome replaces what the subject met before.
      for (const open of this.open.values()) open.subjects.delete(subject);
      if (!problem) continue;
      const entry = met.get(problem.key) ?? { error: problem.error, subjects: [] };
      entry.subjects.push(subject);
      met.set(problem.key, entry);
    }
    for (const [key, { error, subjects }] of met) {
      const known = this.open.get(key);
      const open: OpenProblem = known ?? { since: now, saidAt: -Infinity, subjects: new Set(), unsaid: 0 };
      for (const subject of subjects) open.subjects.add(subject);
      this.open.set(key, open);
      if (now - open.saidAt < this.options.repeatMs) {
        open.unsaid += 1;
        continue;
      }
      const fields = { err: error, ...this.named(open.subjects), since: new Date(open.since).toISOString(), ...(known ? { timesSinceSaid: open.unsaid + 1 } : {}) };
      this.logger.warn(fields, known ? `${this.options.failing}, still` : this.options.failing);
      open.saidAt = now;
      open.unsaid = 0;
    }
    for (const [key, open] of this.open) {
      if (open.subjects.size > 0) continue;
      this.open.delete(key);
      this.logger.info({ problem: key, since: new Date(open.since).toISOString() }, this.options.recovered);
    }
  }

  /** The keys of the problems met and not yet over. */
  openProblems(): string[] {
    return [...this.open.keys()];
  }

  private named(subjects: Set<string>): { subjects: string[]; subjectCount: number } {
    const all = [...subjects].sort();
    return { subjects: all.slice(0, this.options.namedSubjects ?? 10), subjectCount: all.length };
  }
}
