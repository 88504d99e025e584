/**
 * Bucket-configuration calls as the server access log records them (`REST.PUT.BUCKETPOLICY`, …): a
 * second source of changes beside CloudTrail, with who and from where but not what the request
 * set (the log keeps no request body).
 */
import type { BucketChange } from './bucket-changes.js';
import type { BucketSetting, RiskyChange } from './changes.js';
import type { RequestLine } from '../access-logs/counts.js';
import { readableRequester } from '../access-logs/requester.js';

interface Known {
  setting: BucketSetting;
  phrase: string;
  risk?: RiskyChange;
}

/** What each logged configuration operation did, as far as its name tells. */
const KNOWN: Readonly<Record<string, Known>> = {
  'REST.PUT.BUCKETPOLICY': { setting: 'policy', phrase: 'bucket policy set' },
  'REST.DELETE.BUCKETPOLICY': { setting: 'policy', phrase: 'bucket policy deleted' },
  'REST.PUT.PUBLIC_ACCESS_BLOCK': { setting: 'public-access-block', phrase: 'Block Public Access set' },
  'REST.DELETE.PUBLIC_ACCESS_BLOCK': { setting: 'public-access-block', phrase: 'Block Public Access removed', risk: 'public-access-block-off' },
  'REST.PUT.VERSIONING': { setting: 'versioning', phrase: 'versioning set' },
  'REST.PUT.ENCRYPTION': { setting: 'encryption', phrase: 'default encryption set' },
  'REST.DELETE.ENCRYPTION': { setting: 'encryption', phrase: 'default encryption removed', risk: 'encryption-removed' },
  'REST.PUT.LIFECYCLE': { setting: 'lifecycle', phrase: 'lifecycle rules set' },
  'REST.DELETE.LIFECYCLE': { setting: 'lifecycle', phrase: 'lifecycle configuration deleted' },
  'REST.PUT.ACL': { setting: 'acl', phrase: 'ACL set' },
  'REST.PUT.LOGGING_STATUS': { setting: 'logging', phrase: 'server access logging set' },
  'REST.PUT.BUCKET': { setting: 'bucket', phrase: 'bucket created' },
  'REST.DELETE.BUCKET': { setting: 'bucket', phrase: 'bucket deleted', risk: 'bucket-deleted' },
};

/** The logged configuration calls as changes, newest first, each labelled as read from the access log. */
export function accessLogChanges(lines: readonly RequestLine[]): BucketChange[] {
  return lines
    .map((line, index): BucketChange => {
      const known = KNOWN[line.op];
      const failed = (line.status ?? 0) >= 400;
      const label = readableRequester(line.requester);
      return {
        id: `access-log:${line.t}:${index}`,
        time: new Date(line.t),
        call: line.op,
        principal: { label, arn: line.requester?.startsWith('arn:') ? line.requester : null, names: [label, ...(line.requester ? [line.requester] : [])] },
        sourceIp: line.ip,
        client: 'client not logged',
        errorCode: failed ? (line.error ?? String(line.status)) : null,
        setting: known?.setting ?? 'other',
        phrases: known ? [known.phrase] : [],
        risks: known?.risk && !failed ? [known.risk] : [],
        source: 'access-log',
      };
    })
    .sort((a, b) => b.time.getTime() - a.time.getTime());
}

/** Access-log changes CloudTrail does not already tell: none by the same principal within `slackMs` of a CloudTrail change. */
export function notInTrail(logged: readonly BucketChange[], trail: readonly BucketChange[], slackMs = 10_000): BucketChange[] {
  return logged.filter((l) => !trail.some((t) => Math.abs(t.time.getTime() - l.time.getTime()) <= slackMs && (t.principal.arn === null || l.principal.arn === null || t.principal.arn === l.principal.arn)));
}
