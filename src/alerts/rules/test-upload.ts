/**
 * `test-upload`: the scheduled test upload failed, or took longer than `maxMs`. Unlike the metric
 * rules it is judged when a scheduled upload finishes (there is nothing to fetch on a tick), by the
 * job that ran it, through the same state machine and store.
 */
import type { BucketConfig } from '../../config/schema.js';
import type { Config } from '../../config/load.js';
import type { Severity } from '../../message/model.js';
import type { Verdict } from '../types.js';
import { ruleSetting } from './rule.js';

export interface TestUploadSettings {
  maxMs: number;
}

/** The outcome of one test upload, as the rule reads it. */
export interface TestUploadOutcome {
  ok: boolean;
  totalMs: number;
  startedAt: Date;
  /** The failed step and why, when it failed. */
  failure?: { step: string; message: string };
}

export const testUploadRule = {
  name: 'test-upload',
  scope: 'bucket',
  severity: 'critical' as Severity,
  repeats: true,
  /** The bucket's settings, or `null` when switched off. */
  settings(config: Pick<Config, 'alerts'>, bucket: BucketConfig): TestUploadSettings | null {
    const setting = ruleSetting(config, bucket, 'test-upload');
    return setting ? { maxMs: setting.maxMs } : null;
  },
  /** Fires at once on a failed or slow upload; the next good one resolves it. */
  judge(outcome: TestUploadOutcome, s: TestUploadSettings): Verdict {
    const slow = outcome.ok && outcome.totalMs > s.maxMs;
    const breaching = !outcome.ok || slow;
    return {
      status: breaching ? 'firing' : 'ok',
      breachingSince: breaching ? outcome.startedAt : null,
      value: outcome.totalMs,
      threshold: s.maxMs,
      finding: { rule: 'test-upload', ok: outcome.ok, totalMs: outcome.totalMs, maxMs: s.maxMs, failure: outcome.failure ? { step: outcome.failure.step, message: outcome.failure.message } : null },
      recent: [outcome.totalMs],
      hasData: true,
    };
  },
} as const;
