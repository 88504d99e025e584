/** The vocabulary of alerts: rule verdicts, alert state, and the events a change produces. */
import type { AlertFinding } from '../message/alert-findings.js';
import type { Severity } from '../message/model.js';

/** The names of the rules (SPEC section 4); `access-denied` and `test-upload` join when their sources land. */
export type RuleName = 'error-rate' | 'server-errors' | 'latency' | 'size-quota' | 'cost-budget' | 'no-request-metrics' | (string & {});

/** What a rule concludes from the data, judged from the datapoints alone (as CloudWatch alarms do). */
export interface Verdict {
  /** `pending`: the newest periods breach but not yet for the rule's `for`. */
  status: 'ok' | 'pending' | 'firing';
  /** The signal's newest value, in the rule's unit; `null` with no data. */
  value: number | null;
  threshold: number;
  /** The start of the current run of breaching periods; `null` when not breaching. */
  breachingSince: Date | null;
  /** What the rule found, as data; `alertFindingLine` (message/alert-wording.ts) words it. */
  finding: AlertFinding;
  /** Recent values of the signal, oldest first, for a sparkline. */
  recent: (number | null)[];
  /** False when the rule had no datapoints to judge (then it reads as not breaching). */
  hasData: boolean;
}

/** What an alert is about: one rule on one bucket, or on the fleet (`bucket` is `*`). */
export interface AlertKey {
  rule: RuleName;
  bucket: string;
}

/** The id of an alert in Redis, Slack button values and job ids. */
export function alertId(key: AlertKey): string {
  return `${key.rule}:${key.bucket}`;
}

export type AlertStatus = 'ok' | 'pending' | 'firing' | 'resolved';

/** An alert's whole state; it lives in Redis and is changed only by the pure transition functions. */
export interface AlertState {
  id: string;
  rule: RuleName;
  bucket: string;
  severity: Severity;
  status: AlertStatus;
  /** Incremented by every change that produces a notification; orders deliveries. */
  version: number;
  /** Incremented each time the alert fires anew: one Slack message per episode. */
  episode: number;
  /** When the condition began (ISO); for a firing alert, the start of its breach. */
  since: string | null;
  resolvedAt: string | null;
  /** The last time a firing notification or reminder went out (ISO), for the repeat interval. */
  lastNotifiedAt: string | null;
  snoozedUntil: string | null;
  snoozedBy: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** The newest verdict's figures, for the message. */
  value: number | null;
  threshold: number;
  /** What the newest verdict found, worded where it is shown; `null` before the first verdict. */
  finding: AlertFinding | null;
  recent: (number | null)[];
  /** The newest tick slot applied (ISO), so a slot is never applied twice. */
  lastSlot: string | null;
  updatedAt: string;
}

/** What a change asks the notifier to do; one per state version. */
export type AlertEventKind = 'fired' | 'resolved' | 'reminder' | 'snoozed' | 'snooze-ended' | 'acknowledged';

export interface AlertEvent {
  kind: AlertEventKind;
  /** The alert's version after this change. */
  version: number;
  at: string;
  /** Who pressed the button, for snoozed/acknowledged. */
  user?: string;
  /** The state as of this change: what the edited message shows. */
  state: AlertState;
}

/** A person's press of a button on the alert message. */
export type AlertAction = { kind: 'snooze'; hours: number; user: string } | { kind: 'acknowledge'; user: string };
