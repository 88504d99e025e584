/** How many alerts are in each state, by rule: what the `s3chatops_alerts` gauge shows. */
import type { AlertState } from './types.js';

/** One rule's alerts in one state. */
export interface AlertStateCount {
  rule: string;
  state: string;
  count: number;
}

/** Alerts counted by rule and state; a firing alert that is snoozed or acknowledged is counted as that. */
export function alertStateCounts(states: readonly AlertState[], now: Date): AlertStateCount[] {
  const counts = new Map<string, AlertStateCount>();
  for (const s of states) {
    let state: string = s.status;
    if (s.status === 'firing' && s.snoozedUntil !== null && Date.parse(s.snoozedUntil) > now.getTime()) state = 'snoozed';
    else if (s.status === 'firing' && s.acknowledgedBy !== null) state = 'acknowledged';
    const key = `${s.rule}\0${state}`;
    const entry = counts.get(key) ?? { rule: s.rule, state, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}
