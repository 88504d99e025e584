import { matches } from '../../access-logs/denied.js';
import type { BucketChange } from '../../cloudtrail/bucket-changes.js';
import type { BucketSetting, RiskyChange } from '../../cloudtrail/changes.js';
import type { ChangeSeen } from '../../message/alert-findings.js';
import { ruleSetting, type BucketRule } from './rule.js';

export interface ConfigChangeSettings {
  changes: RiskyChange[];
  allowPrincipals: string[];
  windowHours: number;
}

/** The setting each risky change is about: the newest change to that setting says whether it is back. */
const SETTING_OF: Readonly<Record<RiskyChange, BucketSetting>> = {
  'public-access-block-off': 'public-access-block',
  'public-policy': 'policy',
  'public-acl': 'acl',
  'encryption-removed': 'encryption',
  'logging-off': 'logging',
  'versioning-suspended': 'versioning',
  'bucket-deleted': 'bucket',
};

/** Risky changes named one by one in the alert. */
const NAMED = 3;

/**
 * The risky changes standing now: for each risky kind asked, the newest successful change to its
 * setting, when that change made it risky and was not made by an allowed principal. A later
 * change that sets the setting back (by anyone) stands it down.
 */
export function standingRiskyChanges(changes: readonly BucketChange[], settings: ConfigChangeSettings): BucketChange[] {
  const standing = new Map<string, BucketChange>();
  for (const kind of settings.changes) {
    const newest = changes.find((c) => c.setting === SETTING_OF[kind] && !c.errorCode);
    if (!newest || !newest.risks.includes(kind)) continue;
    if (settings.allowPrincipals.some((entry) => matches(entry, newest.principal.names))) continue;
    standing.set(newest.id, newest);
  }
  return [...standing.values()].sort((a, b) => b.time.getTime() - a.time.getTime());
}

/** `config-change`: a risky configuration change (from CloudTrail) still standing, naming who made it. */
export const configChangeRule: BucketRule<ConfigChangeSettings> = {
  name: 'config-change',
  scope: 'bucket',
  severity: 'critical',
  repeats: true,
  settings: (config, bucket) => ruleSetting(config, bucket, 'config-change') || null,
  requestNeeds: () => [],
  trailHours: (s) => s.windowHours,
  evaluate({ settings: s, trail }) {
    if (!trail || !trail.ok) {
      return {
        status: 'ok',
        breachingSince: null,
        value: null,
        threshold: 1,
        finding: { rule: 'config-change', judged: false, reason: trail ? trail.reason : null },
        recent: [],
        hasData: false,
      };
    }
    const standing = standingRiskyChanges(trail.changes, s);
    const named = standing.slice(0, NAMED);
    return {
      status: standing.length > 0 ? 'firing' : 'ok',
      breachingSince: standing.length > 0 ? standing[standing.length - 1]!.time : null,
      value: standing.length,
      threshold: 1,
      finding: { rule: 'config-change', judged: true, windowHours: s.windowHours, count: standing.length, newest: named.map(changeSeen) },
      recent: [],
      hasData: true,
    };
  },
};

/** A change as the finding keeps it. */
function changeSeen(c: BucketChange): ChangeSeen {
  return { at: c.time.toISOString(), call: c.call, principal: { label: c.principal.label }, sourceIp: c.sourceIp, client: c.client, errorCode: c.errorCode, phrases: c.phrases, source: c.source };
}
