/** A bucket's configuration changes, as a person reads them, from its CloudTrail management events. */
import { matches } from '../access-logs/denied.js';
import type { TrailRecord } from '../aws/ports.js';
import { describeChange, type BucketSetting, type KnownState, type RiskyChange } from './changes.js';
import { readablePrincipal, type Principal } from './principal.js';
import { readableClient } from './user-agent.js';

/** Where a change was read: CloudTrail, or the bucket's server access log (fewer details). */
export type ChangeSource = 'cloudtrail' | 'access-log';

export interface BucketChange {
  id: string;
  time: Date;
  /** The API call, as CloudTrail names it (`PutBucketPolicy`). */
  call: string;
  principal: Principal;
  /** Source IP, or the AWS service that made the call for it; `null` where not told. */
  sourceIp: string | null;
  /** The client, from the user agent: `console`, `AWS CLI 2.15.0`, `SDK (Python)`, `Terraform 1.5.7`… */
  client: string;
  /** The error a failed call got (`AccessDenied`): such a call is an attempt, it changed nothing. */
  errorCode: string | null;
  setting: BucketSetting;
  /** What changed, in neutral markup. */
  phrases: string[];
  risks: RiskyChange[];
  source: ChangeSource;
}

interface TrailEventJson {
  eventName?: unknown;
  eventSource?: unknown;
  readOnly?: unknown;
  userIdentity?: unknown;
  sourceIPAddress?: unknown;
  userAgent?: unknown;
  errorCode?: unknown;
  requestParameters?: unknown;
  eventType?: unknown;
}

function parseJson(text: string): TrailEventJson | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as TrailEventJson) : null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The configuration changes among `records` (any order), newest first: reads (`readOnly`),
 * other services' events and records that do not parse are left out. Each description knows what
 * the calls before it in the answer set (the previous Block Public Access flags, versioning
 * status, lifecycle rule ids).
 */
export function bucketChanges(records: readonly TrailRecord[]): BucketChange[] {
  // CloudTrail times are to the second and LookupEvents answers newest first: reversed before the
  // (stable) sort, calls within one second keep their order.
  const oldestFirst = [...records].reverse().sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  let state: KnownState = {};
  const changes: BucketChange[] = [];
  for (const record of oldestFirst) {
    const event = parseJson(record.record);
    if (!event) continue;
    if (event.readOnly === true || event.readOnly === 'true') continue;
    if (text(event.eventSource) !== null && event.eventSource !== 's3.amazonaws.com') continue;
    const call = text(event.eventName) ?? record.eventName;
    const errorCode = text(event.errorCode);
    const described = describeChange(call, event.requestParameters, state, errorCode !== null);
    state = described.after;
    changes.push({
      id: record.eventId,
      time: record.eventTime,
      call,
      principal: readablePrincipal(event.userIdentity),
      sourceIp: text(event.sourceIPAddress),
      client: readableClient(event.userAgent),
      errorCode,
      setting: described.setting,
      phrases: described.phrases,
      risks: described.risks,
      source: 'cloudtrail',
    });
  }
  return changes.reverse();
}

/** True when `who` (exact, or ending `*` for a prefix) names the change's principal by label, ARN or name. */
export function madeBy(change: BucketChange, who: string): boolean {
  return matches(who, change.principal.names);
}
