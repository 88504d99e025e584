/** Alert states as the reports show them: `/s3 alerts`, and the firing lines of status and App Home. */
import type { Block, ListItem, Report } from '../message/model.js';
import { formatRelative, formatTimestamp } from '../message/format.js';
import { alertFindingLine } from '../message/alert-wording.js';
import { code } from '../message/markup.js';
import type { FiringAlertLine } from '../reports/types.js';
import { personRef } from './message.js';
import type { AlertState } from './types.js';

const DAY_MS = 86_400_000;

/** Firing alerts by bucket name, for `gatherStatus`/`gatherOverview`. */
export function firingByBucket(states: readonly AlertState[]): Record<string, FiringAlertLine[]> {
  const out: Record<string, FiringAlertLine[]> = {};
  for (const s of states) {
    if (s.status !== 'firing') continue;
    (out[s.bucket] ??= []).push({ rule: s.rule, severity: s.severity, text: alertFindingLine(s.finding), since: new Date(s.since ?? s.updatedAt) });
  }
  return out;
}

export interface AlertsData {
  generatedAt: Date;
  firing: AlertState[];
  snoozed: AlertState[];
  resolved: AlertState[];
}

/** `/s3 alerts`: firing alerts, snoozed ones, and those resolved in the last 24 hours. */
export function buildAlerts(states: readonly AlertState[], now: Date, label: (bucket: string) => string = (b) => b): Report<AlertsData> {
  const snoozedNow = (s: AlertState) => s.snoozedUntil !== null && Date.parse(s.snoozedUntil) > now.getTime();
  const firing = states.filter((s) => s.status === 'firing' && !snoozedNow(s));
  const snoozed = states.filter((s) => s.status === 'firing' && snoozedNow(s));
  const resolved = states.filter((s) => s.status !== 'firing' && s.resolvedAt !== null && now.getTime() - Date.parse(s.resolvedAt) <= DAY_MS);
  const where = (s: AlertState) => (s.bucket === '*' ? 'all buckets' : label(s.bucket));
  const item = (s: AlertState, detail: string): ListItem => ({ severity: s.severity, text: `${code(s.rule)} on **${where(s)}**: ${alertFindingLine(s.finding)}`, detail });
  const blocks: Block[] = [{ kind: 'header', text: 'S3 alerts' }];
  blocks.push({
    kind: 'list',
    title: `Firing (${firing.length})`,
    items: firing.length === 0 ? [{ severity: 'ok', text: 'Nothing firing' }] : firing.map((s) => item(s, `since ${formatTimestamp(new Date(s.since ?? s.updatedAt))}${s.acknowledgedBy ? ` · acknowledged by ${personRef(s.acknowledgedBy)}` : ''}`)),
  });
  if (snoozed.length > 0) {
    blocks.push({ kind: 'list', title: `Snoozed (${snoozed.length})`, items: snoozed.map((s) => item(s, `snoozed by ${personRef(s.snoozedBy ?? '?')} until ${formatTimestamp(new Date(s.snoozedUntil!))}`)) });
  }
  blocks.push({
    kind: 'list',
    title: `Resolved in the last 24 h (${resolved.length})`,
    items: resolved.length === 0 ? [{ severity: 'info', text: 'None' }] : resolved.map((s) => ({ ...item(s, `resolved ${formatRelative(new Date(s.resolvedAt!), now)}`), severity: 'ok' as const })),
  });
  blocks.push({ kind: 'context', text: `${formatTimestamp(now)} · alerts are evaluated on the worker's schedule` });
  return {
    message: { summary: `S3 alerts: ${firing.length} firing, ${snoozed.length} snoozed, ${resolved.length} resolved in 24 h`, blocks },
    data: { generatedAt: now, firing, snoozed, resolved },
  };
}
