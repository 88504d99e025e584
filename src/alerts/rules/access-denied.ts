import { findDeniedRequests, type DeniedRequest } from '../../access-logs/denied.js';
import { formatCount } from '../../message/format.js';
import { code, lit } from '../../message/markup.js';
import { clip } from '../../reports/digest/clip.js';
import { ruleSetting, type BucketRule } from './rule.js';

export interface AccessDeniedSettings {
  count: number;
  windowMinutes: number;
  allowRequesters: string[];
}

/** Points of the sparkline over the window. */
const SPARK_PERIODS = 12;
/** Denials named one by one in the alert; the rest are counted. */
const NAMED = 3;
/** Keys run to 1,024 bytes; three of them must still fit one Slack section. */
const KEY_CHARS = 200;

/** One denial as a person reads it: who, from where, what they tried, on which key. */
export function describeDenial(d: DeniedRequest): string {
  const target = d.key === '' ? 'the bucket' : code(clip(d.key, KEY_CHARS));
  return `${code(d.requesterLabel)} from ${d.ip ? lit(d.ip) : 'an unknown IP'}: ${lit(d.operation)} on ${target}${d.errorCode ? ` (${lit(d.errorCode)})` : ''}`;
}

/** `access-denied`: 403 answers in the bucket's server access log over a window, minus the allow-listed requesters. */
export const accessDeniedRule: BucketRule<AccessDeniedSettings> = {
  name: 'access-denied',
  scope: 'bucket',
  severity: 'warning',
  repeats: true,
  settings: (config, bucket) => ruleSetting(config, bucket, 'access-denied') || null,
  requestNeeds: () => [],
  accessLogMinutes: (s) => s.windowMinutes,
  evaluate({ settings: s, accessLog }) {
    if (!accessLog || !accessLog.ok) {
      // Logging off or unreadable: nothing to judge, and the reason is what the alert list shows.
      return {
        status: 'ok',
        breachingSince: null,
        value: null,
        threshold: s.count,
        text: `Access denied: not judged, ${accessLog ? accessLog.reason : 'the access log was not read'}`,
        recent: [],
        hasData: false,
      };
    }
    const finding = findDeniedRequests(accessLog.errors, { allowList: s.allowRequesters, threshold: s.count });
    const step = (accessLog.end.getTime() - accessLog.start.getTime()) / SPARK_PERIODS;
    const recent = Array.from({ length: SPARK_PERIODS }, () => 0);
    for (const d of finding.requests) {
      const i = Math.min(SPARK_PERIODS - 1, Math.max(0, Math.floor((d.time.getTime() - accessLog.start.getTime()) / step)));
      recent[i]! += 1;
    }
    const newest = finding.requests.slice(-NAMED).reverse();
    const more = finding.count - newest.length;
    const allowed = finding.allowed > 0 ? `; ${formatCount(finding.allowed)} from allow-listed requesters not counted` : '';
    const head = `**${formatCount(finding.count)}** request${finding.count === 1 ? '' : 's'} denied (403) in the last ${s.windowMinutes} min (threshold ${formatCount(s.count)})${allowed}`;
    const text = newest.length === 0 ? head : `${head}: ${newest.map(describeDenial).join('; ')}${more > 0 ? `; and ${formatCount(more)} more` : ''}`;
    return {
      status: finding.fires ? 'firing' : 'ok',
      breachingSince: finding.fires ? finding.requests[0]!.time : null,
      value: finding.count,
      threshold: s.count,
      text,
      recent,
      hasData: true,
    };
  },
};
