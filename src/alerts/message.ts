/**
 * The alert message and its thread lines, in the neutral message model (rendered per surface).
 * It stays with the alerts because it is built from their state and events (status, episode,
 * snooze, acknowledgement) and carries the buttons' protocol; what a rule found is worded in the
 * message layer (message/alert-wording.ts), like every line of a report.
 */
import { alertFindingLine } from '../message/alert-wording.js';
import type { Block, Button, Message } from '../message/model.js';
import { formatDuration, formatTimestamp } from '../message/format.js';
import { code } from '../message/markup.js';
import { sparkline } from '../message/sparkline.js';
import type { AlertEvent, AlertState } from './types.js';

/** Action ids of the buttons on an alert message. */
export const SNOOZE_ACTION = 'alert_snooze';
export const ACKNOWLEDGE_ACTION = 'alert_acknowledge';
export const SNOOZE_HOURS = [1, 4, 24] as const;

/** A person who pressed a button: a Slack mention, or a Teams user (`teams:<Entra object id>`) by their id, as data. */
export function personRef(user: string): string {
  return user.startsWith('teams:') ? `Teams user ${code(user.slice('teams:'.length))}` : `<@${user}>`;
}

/** What a button carries: which alert, which episode (a stale message's buttons do nothing), and the hours. */
export interface AlertButtonValue {
  id: string;
  episode: number;
  hours?: number;
}

/** Reads a button's value; `null` for anything that is not one of ours. */
export function parseAlertButtonValue(value: string | undefined): AlertButtonValue | null {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<AlertButtonValue>;
    if (typeof parsed.id !== 'string' || typeof parsed.episode !== 'number') return null;
    if (parsed.hours !== undefined && !SNOOZE_HOURS.includes(parsed.hours as (typeof SNOOZE_HOURS)[number])) return null;
    return { id: parsed.id, episode: parsed.episode, ...(parsed.hours !== undefined ? { hours: parsed.hours } : {}) };
  } catch {
    return null;
  }
}

/** A link to the bucket's S3 metrics in the CloudWatch console. */
export function cloudWatchConsoleUrl(region: string, bucket: string): string {
  const search = encodeURIComponent(`AWS/S3 ${bucket}`);
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#metricsV2?search=${search}`;
}

export interface AlertMessageOptions {
  /** The default region (AWS_REGION), for buckets whose own is not known. */
  region: string;
  /** A bucket's own region, where known (configured, or found when its metrics were read). */
  regionOf?: (bucket: string) => string | undefined;
  /** How buckets are named (alias with name). */
  label?: (bucket: string) => string;
}

/** The region a bucket's console links point at: its own where known, else the default. */
export function bucketRegion(options: AlertMessageOptions, bucket: string): string {
  return options.regionOf?.(bucket) ?? options.region;
}

/** The one message of an alert episode: what, where, value against threshold, since when, a sparkline, buttons. */
export function alertMessage(state: AlertState, options: AlertMessageOptions): Message {
  const where = state.bucket === '*' ? 'all buckets' : (options.label?.(state.bucket) ?? state.bucket);
  const firing = state.status === 'firing';
  const title = firing ? `${state.rule} firing on ${where}` : `${state.rule} resolved on ${where}`;
  const since = state.since ? new Date(state.since) : null;
  const lines: string[] = [];
  if (since) {
    lines.push(firing ? `Since ${formatTimestamp(since)}` : `Lasted ${formatDuration(Date.parse(state.resolvedAt ?? state.updatedAt) - since.getTime())}, resolved ${formatTimestamp(new Date(state.resolvedAt ?? state.updatedAt))}`);
  }
  if (state.acknowledgedBy) lines.push(`Acknowledged by ${personRef(state.acknowledgedBy)}`);
  if (firing && state.snoozedUntil) lines.push(`Snoozed by ${personRef(state.snoozedBy ?? 'someone')} until ${formatTimestamp(new Date(state.snoozedUntil))}`);

  const blocks: Block[] = [
    { kind: 'header', text: `${firing ? '🔴' : '✅'} ${title}` },
    { kind: 'text', text: alertFindingLine(state.finding) || title },
  ];
  if (state.recent.some((v) => v !== null)) blocks.push({ kind: 'text', text: `\`${sparkline(state.recent)}\`` });
  const links = [state.bucket === '*' ? null : `[CloudWatch metrics](${cloudWatchConsoleUrl(bucketRegion(options, state.bucket), state.bucket)})`, ...lines].filter(Boolean);
  blocks.push({ kind: 'context', text: `${code(state.rule)} · ${links.join(' · ')}` });
  if (firing) blocks.push({ kind: 'actions', buttons: alertButtons(state) });
  return { summary: `${firing ? 'Firing' : 'Resolved'}: ${state.rule} on ${where}`, blocks };
}

function alertButtons(state: AlertState): Button[] {
  const value = (hours?: number) => JSON.stringify({ id: state.id, episode: state.episode, ...(hours ? { hours } : {}) });
  const snooze = SNOOZE_HOURS.map((hours) => ({ actionId: `${SNOOZE_ACTION}_${hours}h`, label: `Snooze ${hours} h`, value: value(hours) }));
  if (state.acknowledgedBy !== null) return snooze;
  return [...snooze, { actionId: ACKNOWLEDGE_ACTION, label: 'Acknowledge', value: value(), style: 'primary' }];
}

/** The line an event adds to the alert's thread. */
export function threadLine(event: AlertEvent): string {
  const s = event.state;
  const found = alertFindingLine(s.finding);
  switch (event.kind) {
    case 'fired':
      return `Firing: ${found}`;
    case 'resolved': {
      const lasted = s.since ? ` after ${formatDuration(Date.parse(event.at) - Date.parse(s.since))}` : '';
      return `Resolved${lasted}: ${found}`;
    }
    case 'reminder':
      return `Still firing${s.since ? ` (for ${formatDuration(Date.parse(event.at) - Date.parse(s.since))})` : ''}: ${found}`;
    case 'snooze-ended':
      return `Snooze over, still firing: ${found}`;
    case 'snoozed':
      return `Snoozed by ${personRef(event.user ?? s.snoozedBy ?? 'someone')} until ${s.snoozedUntil ? formatTimestamp(new Date(s.snoozedUntil)) : 'later'}`;
    case 'acknowledged':
      return `Acknowledged by ${personRef(event.user ?? s.acknowledgedBy ?? 'someone')}`;
  }
}
