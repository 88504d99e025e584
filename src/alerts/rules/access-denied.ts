import { findDeniedRequests } from '../../access-logs/denied.js';
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
        finding: { rule: 'access-denied', judged: false, reason: accessLog ? accessLog.reason : null },
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
    return {
      status: finding.fires ? 'firing' : 'ok',
      breachingSince: finding.fires ? finding.requests[0]!.time : null,
      value: finding.count,
      threshold: s.count,
      finding: {
        rule: 'access-denied',
        judged: true,
        count: finding.count,
        threshold: s.count,
        windowMinutes: s.windowMinutes,
        allowed: finding.allowed,
        newest: newest.map((d) => ({ at: d.time.toISOString(), requesterLabel: d.requesterLabel, ip: d.ip, operation: d.operation, key: d.key, errorCode: d.errorCode })),
      },
      recent,
      hasData: true,
    };
  },
};
