/**
 * `doctor`'s checks beyond reading a bucket's settings: Cost Explorer, the access-log bucket, and a
 * real small object under the test prefix (written tagged, its tags read, read back, its versions
 * listed, deleted by version). Each failed check says which feature it leaves without a permission.
 */
import { DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { TEST_OBJECT_TAG, testObjectKey } from '../actions/test-upload.js';
import type { AwsPorts, BucketFacts } from '../aws/ports.js';
import { toUserFacingError } from '../aws/errors.js';
import type { BucketConfig } from '../config/schema.js';
import { userMessageOf } from '../lib/errors.js';

/** One line of `s3-chatops doctor`. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  /** What was found, and on failure what to do. */
  detail: string;
}

/** What each kind of missing permission takes away, as said after "without it:". */
export const FEATURE_OF = {
  costs: '`costs`, the digest\'s cost section and the cost-budget alert',
  accessLog: 'uploads by requester and denied requests in `uploads`, `errors` and the digest (they fall back to a listing)',
  metrics: 'sizes, request figures and error rates in `status`, the overview, the digest and the alert rules',
  settings: 'that setting in `status` and its hygiene findings',
  listing: '`uploads` (the newest objects)',
  write: 'test uploads (`test-upload`, Run test upload, scheduled test uploads)',
  tags: 'cleanup: it deletes only versions tagged s3-chatops=test, and cannot read the tags',
  read: 'the test upload\'s read-back and checksum steps',
  versions: 'cleanup\'s preview (it lists the test prefix\'s versions)',
  delete: 'the test upload\'s delete step and cleanup\'s deletions',
  trail: '`changes`, the last change and who introduced each finding in `status`, the digest\'s changes and the config-change alert',
} as const;

/** A failed check's detail: what AWS said, then what is lost without it. */
export function lost(detail: string, feature: keyof typeof FEATURE_OF): string {
  return `${detail} Without it: ${FEATURE_OF[feature]}.`;
}

/** One small GetCostAndUsage for yesterday: the call `costs` and the digest make (Cost Explorer bills $0.01 a request). */
export async function checkCostExplorer(ports: AwsPorts, now: Date): Promise<CheckResult> {
  const end = now.toISOString().slice(0, 10);
  const start = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  try {
    await ports.costs.getDailyCost({ start, end, groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } });
    return { name: 'cost explorer', status: 'ok', detail: 'GetCostAndUsage answered (one request, billed $0.01)' };
  } catch (error) {
    return { name: 'cost explorer', status: 'fail', detail: lost(userMessageOf(error), 'costs') };
  }
}

/** One LookupEvents for the first bucket's last hour: `cloudtrail:LookupEvents` is granted on every resource at once. */
export async function checkCloudTrail(ports: AwsPorts, bucket: BucketConfig | undefined, now: Date): Promise<CheckResult> {
  if (!ports.trail) return { name: 'cloudtrail', status: 'skip', detail: 'this process reads no CloudTrail' };
  if (!bucket) return { name: 'cloudtrail', status: 'skip', detail: 'no bucket configured' };
  try {
    const records = await ports.trail.bucketEvents(bucket.name, { start: new Date(now.getTime() - 3_600_000), end: now });
    return { name: 'cloudtrail', status: 'ok', detail: `LookupEvents answered (${records.length} management event${records.length === 1 ? '' : 's'} about ${bucket.name} in the last hour)` };
  } catch (error) {
    return { name: 'cloudtrail', status: 'fail', detail: lost(userMessageOf(error), 'trail') };
  }
}

/** Lists the access-log bucket where the bucket logs to, and reads the first log object there, as the reports do. */
export async function checkAccessLog(ports: AwsPorts, facts: BucketFacts | undefined, label: string): Promise<CheckResult> {
  const name = `bucket ${label}: access log`;
  if (!ports.accessLogs) return { name, status: 'skip', detail: 'this process reads no access logs' };
  const logging = facts?.logging;
  if (!logging) return { name, status: 'skip', detail: `server access logging is off or unreadable; without it: ${FEATURE_OF.accessLog}` };
  const where = `s3://${logging.targetBucket}/${logging.targetPrefix}`;
  try {
    let first: string | undefined;
    for await (const page of ports.accessLogs.objects.list(logging.targetBucket, { prefix: logging.targetPrefix })) {
      first = page.objects[0]?.key;
      break;
    }
    if (first === undefined) return { name, status: 'ok', detail: `${where} listable, no log objects yet (they arrive within hours)` };
    for await (const chunk of await ports.accessLogs.objects.read(logging.targetBucket, first)) {
      void chunk;
      break;
    }
    return { name, status: 'ok', detail: `${where} listable and readable` };
  } catch (error) {
    return { name, status: 'fail', detail: lost(userMessageOf(error), 'accessLog') };
  }
}

interface ProbeStep {
  name: string;
  feature: keyof typeof FEATURE_OF;
  operation: string;
  run: () => Promise<void>;
}

/**
 * Writes a small tagged object under the test prefix with the name a test upload gives (so a
 * cleanup finds it should the delete be refused), then reads its tags, reads it, lists its
 * versions and deletes the version written: every S3 call the test upload and cleanup make.
 */
export async function checkTestPrefix(s3: S3Client, bucket: BucketConfig, label: string, now: Date): Promise<CheckResult[]> {
  const key = testObjectKey(bucket.testPrefix, now);
  const Bucket = bucket.name;
  let versionId: string | undefined;
  const steps: ProbeStep[] = [
    {
      name: 'write, tagged',
      feature: 'write',
      operation: 'PutObject',
      run: async () => {
        const answer = await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: randomBytes(1024), Tagging: `${TEST_OBJECT_TAG.key}=${TEST_OBJECT_TAG.value}` }));
        versionId = answer.VersionId;
      },
    },
    {
      name: 'read tags',
      feature: 'tags',
      operation: 'GetObjectTagging',
      run: async () => {
        const answer = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
        if (!answer.TagSet?.some((t) => t.Key === TEST_OBJECT_TAG.key && t.Value === TEST_OBJECT_TAG.value)) {
          throw new Error(`the object was written without its ${TEST_OBJECT_TAG.key}=${TEST_OBJECT_TAG.value} tag (is s3:PutObjectTagging allowed?)`);
        }
      },
    },
    {
      name: 'read back',
      feature: 'read',
      operation: 'GetObject',
      run: async () => {
        const answer = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
        await answer.Body?.transformToByteArray();
      },
    },
    {
      name: 'list versions',
      feature: 'versions',
      operation: 'ListObjectVersions',
      run: async () => {
        await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: key, MaxKeys: 10 }));
      },
    },
    {
      name: 'delete',
      feature: 'delete',
      operation: 'DeleteObject',
      run: async () => {
        // By version where the bucket keeps versions: a plain delete would only add a delete marker.
        await s3.send(new DeleteObjectCommand({ Bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      },
    },
  ];
  const results: CheckResult[] = [];
  for (const step of steps) {
    const name = `bucket ${label}: test prefix ${step.name}`;
    try {
      await step.run();
      const what = step.feature === 'delete' && versionId ? `deleted version ${versionId} of ${key}` : key;
      results.push({ name, status: 'ok', detail: what });
    } catch (error) {
      const said = error instanceof Error && !('$metadata' in error) ? error.message : userMessageOf(toUserFacingError(error, { service: 'S3', operation: step.operation, bucket: Bucket }));
      const leftOver = step.feature === 'delete' ? ` ${key} stays behind, tagged, until a cleanup deletes it.` : '';
      results.push({ name, status: 'fail', detail: lost(said, step.feature) + leftOver });
      // Nothing was written: the steps after it have nothing to work on.
      if (step.feature === 'write') {
        results.push({ name: `bucket ${label}: test prefix`, status: 'skip', detail: 'tags, read, versions and delete not checked: nothing was written' });
        break;
      }
    }
  }
  return results;
}
