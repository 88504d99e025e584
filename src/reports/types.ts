import type { Severity } from '../message/model.js';

/**
 * A firing alert as status and overview show it. The alerts issue fills these from its state
 * store; until then the reports take an empty or absent list.
 */
export interface FiringAlertLine {
  /** The rule's name, e.g. `error-rate`. */
  rule: string;
  severity: Severity;
  /** One line in neutral markup, e.g. `Error rate 14.2% over 5 min (threshold 10%)`. */
  text: string;
  since: Date;
}

/** The bucket a report is about, as the configuration names it. */
export interface BucketRef {
  name: string;
  alias?: string;
}

/** How a bucket is named in a message: its alias with the name, or the name alone. */
export function bucketLabel(bucket: BucketRef): string {
  return bucket.alias ? `${bucket.alias} (${bucket.name})` : bucket.name;
}
