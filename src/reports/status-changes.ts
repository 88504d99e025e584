/**
 * What `/s3 status` shows from CloudTrail: the bucket's last configuration change in one line,
 * and for each hygiene finding the change that introduced it (the newest call that set that
 * setting), where CloudTrail tells.
 */
import type { AwsPorts } from '../aws/ports.js';
import { startDeadline } from '../aws/deadlines.js';
import { bucketChanges, type BucketChange } from '../cloudtrail/bucket-changes.js';
import type { BucketSetting } from '../cloudtrail/changes.js';
import { UserFacingError } from '../lib/errors.js';
import { formatTimestamp } from '../message/format.js';
import { code, lit } from '../message/markup.js';
import type { Block } from '../message/model.js';
import { changeWhat } from '../message/change-wording.js';
import type { HygieneCheckId, HygieneFinding } from './hygiene.js';
import { isUnavailable } from './unanswered.js';

/** How far back status looks for changes: LookupEvents pages through reads too, so the window stays short. */
export const STATUS_CHANGES_WINDOW_MS = 7 * 86_400_000;
/** How long status waits for CloudTrail: a share of the command's time, so the rest of the answer is never held up. */
export const STATUS_CHANGES_WAIT_MS = 4_000;

/** The changes status read, newest first; or why there are none to show. */
export type StatusChanges = { ok: true; since: Date; changes: BucketChange[] } | { ok: false; problem: string; unanswered: boolean };

/** The setting whose change introduces each finding; findings of no setting CloudTrail records are left out. */
const FINDING_SETTING: Partial<Record<HygieneCheckId, BucketSetting>> = {
  'public-access-block-off': 'public-access-block',
  'policy-public': 'policy',
  'no-default-encryption': 'encryption',
  'versioning-off': 'versioning',
  'access-logging-off': 'logging',
  'no-noncurrent-expiration': 'lifecycle',
  'no-abort-multipart': 'lifecycle',
  'no-test-prefix-lifecycle': 'lifecycle',
  'standard-without-transition': 'lifecycle',
};

/** Reads the bucket's changes of the last week within `STATUS_CHANGES_WAIT_MS`; absent where the entry point has no CloudTrail. */
export async function gatherStatusChanges(ports: AwsPorts, bucket: string, now: Date): Promise<StatusChanges | undefined> {
  if (!ports.trail) return undefined;
  const since = new Date(now.getTime() - STATUS_CHANGES_WINDOW_MS);
  const deadline = startDeadline(STATUS_CHANGES_WAIT_MS);
  try {
    const records = await ports.trail.bucketEvents(bucket, { start: since, end: now }, { signal: deadline.signal });
    return { ok: true, since, changes: bucketChanges(records).filter((c) => c.time >= since) };
  } catch (error) {
    if (isUnavailable(error)) return { ok: false, problem: error.userMessage, unanswered: true };
    if (error instanceof UserFacingError) return { ok: false, problem: error.userMessage, unanswered: false };
    throw error;
  } finally {
    deadline.stop();
  }
}

/** "2026-12-03 09:05 UTC by `user alice`". */
function byWhom(change: BucketChange): string {
  return `${formatTimestamp(change.time)} by ${code(change.principal.label)}`;
}

/** The "Last change" line. */
export function lastChangeBlock(changes: StatusChanges): Block {
  if (!changes.ok) return { kind: 'context', text: `**Last change:** not known: ${changes.problem}` };
  const last = changes.changes[0];
  if (!last) return { kind: 'context', text: '**Last change:** none in the last 7 days (CloudTrail)' };
  return { kind: 'context', text: `**Last change:** ${changeWhat(last)}, ${byWhom(last)} (${lit(last.call)}); ${code('/s3 changes')} for more` };
}

/** Each finding's origin sentence by finding id: the newest successful change to its setting. */
export function findingOrigins(findings: readonly HygieneFinding[], changes: StatusChanges | undefined): Record<string, string> {
  if (!changes?.ok) return {};
  const origins: Record<string, string> = {};
  for (const finding of findings) {
    const setting = FINDING_SETTING[finding.id];
    const change = setting && changes.changes.find((c) => c.setting === setting && !c.errorCode);
    if (change) origins[finding.id] = `Introduced ${byWhom(change)}: ${changeWhat(change)}`;
  }
  return origins;
}
