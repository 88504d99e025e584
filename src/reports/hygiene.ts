/**
 * Hygiene checks (SPEC section 6): pure functions of a bucket's facts, each finding saying why it
 * matters and how to fix it, with the console path and the exact `aws s3api` command. A fact that
 * could not be read is never judged; status shows it as unreadable instead.
 */
import type { BucketFacts, LifecycleRuleFact } from '../aws/ports.js';
import type { Severity } from '../message/model.js';
import { formatBytes } from '../message/format.js';
import { code, lit } from '../message/markup.js';
import type { StorageFigures } from './s3-metrics.js';

export type HygieneCheckId =
  | 'public-access-block-off'
  | 'policy-public'
  | 'no-default-encryption'
  | 'versioning-off'
  | 'no-noncurrent-expiration'
  | 'no-abort-multipart'
  | 'access-logging-off'
  | 'request-metrics-off'
  | 'no-test-prefix-lifecycle'
  | 'standard-without-transition';

export interface HygieneFinding {
  id: HygieneCheckId;
  severity: Exclude<Severity, 'ok'>;
  /** What is wrong, one line. */
  title: string;
  why: string;
  /** The console path and the exact command, in neutral markup. */
  fix: string;
}

export interface HygieneInput {
  facts: BucketFacts;
  /** From the bucket's configuration. */
  testPrefix: string;
  requestMetricsFilterId: string;
  storage?: Pick<StorageFigures, 'byClass'> | null;
  /** Days after which test files should expire (the cleanup age). */
  testExpiryDays?: number;
  /** Bytes in STANDARD above which a lifecycle transition is suggested. */
  standardBytesThreshold?: number;
}

/** Above this much in STANDARD, Intelligent-Tiering's savings outweigh its monitoring fee. */
export const DEFAULT_STANDARD_THRESHOLD = 100e9;

const SEVERITY_ORDER: Record<HygieneFinding['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** Runs every check; findings most severe first. */
export function checkHygiene(input: HygieneInput): HygieneFinding[] {
  const unreadable = new Set(input.facts.problems.map((p) => p.fact));
  const findings: HygieneFinding[] = [];
  for (const check of CHECKS) {
    if (check.needs.some((fact) => unreadable.has(fact))) continue;
    const finding = check.run(input);
    if (finding) findings.push(finding);
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

type FactName = BucketFacts['problems'][number]['fact'];
interface Check {
  needs: FactName[];
  run(input: HygieneInput): HygieneFinding | null;
}

const enabledRules = (facts: BucketFacts): LifecycleRuleFact[] => facts.lifecycleRules.filter((r) => r.enabled);
const lifecycleFix = (bucket: string, rule: string): string =>
  `Console: S3 › ${bucket} › Management › Lifecycle rules › Create lifecycle rule, ${rule}. ` +
  `CLI: \`aws s3api put-bucket-lifecycle-configuration --bucket ${bucket} --lifecycle-configuration file://lifecycle.json\` ` +
  `(it replaces every rule: start from \`aws s3api get-bucket-lifecycle-configuration --bucket ${bucket}\`).`;

const CHECKS: Check[] = [
  {
    needs: ['publicAccessBlock'],
    run: ({ facts }) => {
      const pab = facts.publicAccessBlock;
      const off = pab
        ? (Object.entries(pab) as [string, boolean][]).filter(([, on]) => !on).map(([flag]) => flag)
        : ['all four settings'];
      if (off.length === 0) return null;
      return {
        id: 'public-access-block-off',
        severity: pab === null || off.length === 4 ? 'critical' : 'warning',
        title: `Block Public Access is off (${off.join(', ')})`,
        why: 'Without it, one permissive ACL or policy statement makes case documents readable by anyone on the internet.',
        fix:
          `Console: S3 › ${facts.bucket} › Permissions › Block public access (bucket settings) › Edit › Block all public access. ` +
          `CLI: \`aws s3api put-public-access-block --bucket ${facts.bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\``,
      };
    },
  },
  {
    needs: ['policyIsPublic'],
    run: ({ facts }) =>
      facts.policyIsPublic === true
        ? {
            id: 'policy-public',
            severity: 'critical',
            title: 'The bucket policy makes the bucket public',
            why: 'A public policy grants access to anyone, without credentials; every object it covers can be read or listed.',
            fix:
              `Console: S3 › ${facts.bucket} › Permissions › Bucket policy › Edit, and remove the statements with \`"Principal": "*"\`. ` +
              `CLI: review with \`aws s3api get-bucket-policy --bucket ${facts.bucket}\`, then \`aws s3api put-bucket-policy --bucket ${facts.bucket} --policy file://policy.json\` ` +
              `or \`aws s3api delete-bucket-policy --bucket ${facts.bucket}\`.`,
          }
        : null,
  },
  {
    needs: ['encryption'],
    run: ({ facts }) =>
      facts.encryption === null
        ? {
            id: 'no-default-encryption',
            severity: 'warning',
            title: 'No default encryption',
            why: 'Objects uploaded without an encryption header are stored unencrypted; medical documents should be encrypted at rest.',
            fix:
              `Console: S3 › ${facts.bucket} › Properties › Default encryption › Edit › SSE-S3 (or SSE-KMS) with Bucket Key. ` +
              `CLI: \`aws s3api put-bucket-encryption --bucket ${facts.bucket} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"},"BucketKeyEnabled":true}]}'\``,
          }
        : null,
  },
  {
    needs: ['versioning'],
    run: ({ facts }) =>
      facts.versioning !== 'Enabled'
        ? {
            id: 'versioning-off',
            severity: 'warning',
            title: facts.versioning === 'Suspended' ? 'Versioning is suspended' : 'Versioning is off',
            why: 'An overwritten or deleted document cannot be recovered; versioning keeps the earlier versions.',
            fix:
              `Console: S3 › ${facts.bucket} › Properties › Bucket Versioning › Edit › Enable. ` +
              `CLI: \`aws s3api put-bucket-versioning --bucket ${facts.bucket} --versioning-configuration Status=Enabled\``,
          }
        : null,
  },
  {
    needs: ['versioning', 'lifecycleRules'],
    run: ({ facts }) =>
      facts.versioning === 'Enabled' && !enabledRules(facts).some((r) => r.noncurrentExpirationDays !== undefined)
        ? {
            id: 'no-noncurrent-expiration',
            severity: 'warning',
            title: 'Versioning is on with no expiration of noncurrent versions',
            why: 'Every overwrite and delete keeps the old version forever, and they are billed as storage like current ones.',
            fix: lifecycleFix(facts.bucket, 'tick "Permanently delete noncurrent versions of objects" (e.g. after 30 days)'),
          }
        : null,
  },
  {
    needs: ['lifecycleRules'],
    run: ({ facts }) =>
      !enabledRules(facts).some((r) => r.prefix === '' && r.abortIncompleteMultipartDays !== undefined)
        ? {
            id: 'no-abort-multipart',
            severity: 'warning',
            title: 'No lifecycle rule aborts incomplete multipart uploads',
            why: 'Parts of failed uploads stay in the bucket, invisible in listings, and are billed until they are removed.',
            fix: lifecycleFix(facts.bucket, 'for the whole bucket, tick "Delete expired object delete markers or incomplete multipart uploads" (e.g. after 7 days)'),
          }
        : null,
  },
  {
    needs: ['logging'],
    run: ({ facts }) =>
      facts.logging === null
        ? {
            id: 'access-logging-off',
            severity: 'warning',
            title: 'Server access logging is off',
            why: 'Without access logs there is no record of who read, uploaded or was denied; `/s3 uploads` cannot show uploaders and the access-denied alert cannot work.',
            fix:
              `Console: S3 › ${facts.bucket} › Properties › Server access logging › Edit › Enable, with a separate log bucket. ` +
              `CLI: \`aws s3api put-bucket-logging --bucket ${facts.bucket} --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"LOG-BUCKET","TargetPrefix":"${facts.bucket}/"}}'\``,
          }
        : null,
  },
  {
    needs: ['metricsConfigurations'],
    run: ({ facts, requestMetricsFilterId }) =>
      !facts.metricsConfigurations.some((m) => m.id === requestMetricsFilterId)
        ? {
            id: 'request-metrics-off',
            severity: 'warning',
            title: `Request metrics are off (no metrics configuration "${lit(requestMetricsFilterId)}")`,
            why: 'Without them CloudWatch has no request, error or latency figures: `/s3 errors` and the error-rate and latency alerts have nothing to read.',
            fix: `Console: S3 › ${facts.bucket} › Metrics › Request metrics › Create filter. CLI: \`${enableRequestMetricsCommand(facts.bucket, requestMetricsFilterId)}\``,
          }
        : null,
  },
  {
    needs: ['lifecycleRules'],
    run: ({ facts, testPrefix, testExpiryDays = 7 }) =>
      !enabledRules(facts).some((r) => r.expirationDays !== undefined && testPrefix.startsWith(r.prefix))
        ? {
            id: 'no-test-prefix-lifecycle',
            severity: 'info',
            title: `No lifecycle rule expires the test prefix "${lit(testPrefix)}"`,
            why: 'Test uploads are only removed when someone runs a cleanup; a lifecycle rule removes them on its own.',
            fix: lifecycleFix(facts.bucket, `limited to the prefix ${code(testPrefix)}, "Expire current versions of objects" after ${testExpiryDays} days`),
          }
        : null,
  },
  {
    needs: ['lifecycleRules'],
    run: ({ facts, storage, standardBytesThreshold = DEFAULT_STANDARD_THRESHOLD }) => {
      const standard = storage?.byClass.find((c) => c.storageClass === 'STANDARD')?.bytes ?? 0;
      if (standard < standardBytesThreshold || enabledRules(facts).some((r) => r.transitions.length > 0)) return null;
      return {
        id: 'standard-without-transition',
        severity: 'info',
        title: `${formatBytes(standard)} in STANDARD with no lifecycle transition`,
        why: 'Documents that are rarely read after the first weeks cost less in Intelligent-Tiering, which moves them between tiers on its own.',
        fix: lifecycleFix(facts.bucket, 'tick "Transition current versions of objects between storage classes" to Intelligent-Tiering after 0 days'),
      };
    },
  },
];

/** The exact command that turns on request metrics for a bucket. */
export function enableRequestMetricsCommand(bucket: string, filterId: string): string {
  return `aws s3api put-bucket-metrics-configuration --bucket ${bucket} --id ${filterId} --metrics-configuration '{"Id":"${filterId}"}'`;
}
