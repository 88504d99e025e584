import { UserFacingError } from '../lib/errors.js';
import { RoleNotAssumedError } from './role-error.js';

export type AwsService = 'S3' | 'CloudWatch' | 'Cost Explorer' | 'CloudTrail' | 'STS';

/** The IAM permission each AWS operation we call needs; an AccessDenied names it. */
export const REQUIRED_PERMISSION: Readonly<Record<string, string>> = {
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketLogging: 's3:GetBucketLogging',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetBucketReplication: 's3:GetReplicationConfiguration',
  ListBucketMetricsConfigurations: 's3:GetMetricsConfiguration',
  GetBucketMetricsConfiguration: 's3:GetMetricsConfiguration',
  PutBucketMetricsConfiguration: 's3:PutMetricsConfiguration',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration',
  GetBucketTagging: 's3:GetBucketTagging',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  HeadObject: 's3:GetObject',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  PutObjectTagging: 's3:PutObjectTagging',
  // Cleanup reads each old test version's tags by version id (unversioned buckets need s3:GetObjectTagging).
  GetObjectTagging: 's3:GetObjectVersionTagging',
  DeleteObject: 's3:DeleteObject',
  DeleteObjects: 's3:DeleteObject',
  GetMetricData: 'cloudwatch:GetMetricData',
  GetCostAndUsage: 'ce:GetCostAndUsage',
  GetCostForecast: 'ce:GetCostForecast',
  LookupEvents: 'cloudtrail:LookupEvents',
  AssumeRole: 'sts:AssumeRole',
};

/** What was being asked of AWS when an error happened. */
export interface AwsCallContext {
  service: AwsService;
  /** The API operation, as named in REQUIRED_PERMISSION (e.g. `GetBucketEncryption`). */
  operation: string;
  bucket?: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'UnauthorizedOperation',
  'AccessDeniedOperation',
]);
const NOT_FOUND = new Set(['NoSuchBucket']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);
const TIMED_OUT = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', 'EPIPE']);
const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'TokenRefreshRequired',
]);

/** The `name` (or, failing that, the `Code`) of an SDK error; `''` for anything else. */
export function awsErrorName(error: unknown): string {
  if (!error || typeof error !== 'object') return '';
  const e = error as { name?: unknown; Code?: unknown };
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.Code === 'string') return e.Code;
  return typeof e.name === 'string' ? e.name : '';
}

/**
 * An error name as a message may show it. AWS names its errors with letters, digits and dots
 * (`NoSuchBucket`, `AWS.SimpleQueueService.NonExistentQueue`); a name that comes back in any other
 * shape (from a proxy, or an endpoint that is not AWS) is not repeated, so no markup, mention or
 * terminal control reaches a message through it.
 */
export function shownErrorName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9.]{0,99}$/.test(name) ? name : 'an error with an unexpected name (see the log)';
}

/** True when the error is an SDK error with one of these names. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return names.includes(awsErrorName(error));
}

function httpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(context: AwsCallContext): string {
  return context.bucket ? `${context.operation} on bucket \`${context.bucket}\`` : context.operation;
}

/**
 * Turns an AWS SDK error into a `UserFacingError` a person can act on. The message names the
 * operation, the bucket and the fix; it never carries credentials or request signatures.
 */
export function toUserFacingError(error: unknown, context: AwsCallContext): UserFacingError {
  if (error instanceof UserFacingError) return error;
  if (error instanceof RoleNotAssumedError) return roleNotAssumed(error, context);
  const name = awsErrorName(error);
  const status = httpStatus(error);
  const options = { cause: error };

  if (NOT_FOUND.has(name)) {
    return new UserFacingError(
      'aws_not_found',
      `The bucket \`${context.bucket ?? '?'}\` does not exist (or no longer does) in this AWS account. Check its name in the configuration.`,
      options,
    );
  }
  if (CREDENTIALS.has(name)) {
    const expired = /Expired/.test(name);
    return new UserFacingError(
      'aws_credentials',
      expired
        ? `The AWS credentials have expired, so ${context.service} refused ${context.operation}. Refresh them (a new session token, or \`aws sso login\`) and try again.`
        : `${context.service} could not use the bot's AWS credentials for ${context.operation}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE, or give the bot an IAM role.`,
      options,
    );
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    const permission = REQUIRED_PERMISSION[context.operation];
    const fix = permission
      ? `Grant the bot's IAM role \`${permission}\`${context.bucket ? ` on \`arn:aws:s3:::${context.bucket}\`` : ''}.`
      : `Grant the bot's IAM role the permission ${context.operation} needs.`;
    return new UserFacingError('aws_access_denied', `AWS denied ${describe(context)}. ${fix}`, options);
  }
  if (THROTTLED.has(name) || status === 429 || status === 503) {
    return new UserFacingError(
      'aws_throttled',
      `${context.service} is throttling requests (${context.operation}); the bot already retried. Try again in a minute.`,
      options,
    );
  }
  const network = networkCode(error);
  if (TIMED_OUT.has(name) || network !== undefined) {
    const why = network === 'ECONNREFUSED' ? 'refused the connection' : 'did not answer in time';
    return new UserFacingError(
      'aws_timeout',
      `${context.service} ${why} (${context.operation}). Check the network path to AWS (and AWS_ENDPOINT_URL if set), then try again.`,
      options,
    );
  }
  return new UserFacingError(
    'aws_error',
    `${context.service} failed ${describe(context)}${name ? ` (${shownErrorName(name)})` : ''}. The details are in the bot's log.`,
    options,
  );
}

/** "The role `arn:…` in 222222222222 could not be assumed: AccessDenied", with what to check. */
export function roleNotAssumed(error: RoleNotAssumedError, context: Pick<AwsCallContext, 'service' | 'operation'>): UserFacingError {
  return new UserFacingError(
    'aws_credentials',
    `The role \`${error.roleArn}\` in ${error.account} could not be assumed: ${error.awsError}, so ${context.service} ${context.operation} was not tried. Check that the role's trust policy lets the bot's own role assume it (with the configured external id) and that the bot may call sts:AssumeRole on it.`,
    { cause: error },
  );
}
