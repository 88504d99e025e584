import { describe, expect, it } from 'vitest';
import { REQUIRED_PERMISSION, toUserFacingError } from '../../../src/aws/errors.js';
import { UserFacingError } from '../../../src/lib/errors.js';

function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: status ? { httpStatusCode: status } : {}, ...extra });
}

describe('toUserFacingError', () => {
  it.each(Object.entries(REQUIRED_PERMISSION))('names %s\'s permission (%s) when access is denied', (operation, permission) => {
    const error = toUserFacingError(sdkError('AccessDenied', 403), { service: 'S3', operation, bucket: 'docs-bucket' });
    expect(error.code).toBe('aws_access_denied');
    expect(error.userMessage).toContain(permission);
    expect(error.userMessage).toContain(operation);
  });

  it('maps the required table entries the brief names', () => {
    expect(REQUIRED_PERMISSION).toMatchObject({
      GetBucketEncryption: 's3:GetEncryptionConfiguration',
      GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
      ListObjectsV2: 's3:ListBucket',
      GetMetricData: 'cloudwatch:GetMetricData',
      GetCostAndUsage: 'ce:GetCostAndUsage',
    });
  });

  it('treats a bare 403 as access denied and names the bucket', () => {
    const error = toUserFacingError(sdkError('Forbidden', 403), { service: 'S3', operation: 'GetBucketTagging', bucket: 'docs-bucket' });
    expect(error.code).toBe('aws_access_denied');
    expect(error.userMessage).toContain('s3:GetBucketTagging');
    expect(error.userMessage).toContain('arn:aws:s3:::docs-bucket');
  });

  it('maps AccessDeniedException from CloudWatch and Cost Explorer', () => {
    const error = toUserFacingError(sdkError('AccessDeniedException', 400), { service: 'Cost Explorer', operation: 'GetCostAndUsage' });
    expect(error.code).toBe('aws_access_denied');
    expect(error.userMessage).toContain('ce:GetCostAndUsage');
  });

  it('maps NoSuchBucket to aws_not_found naming the bucket', () => {
    const error = toUserFacingError(sdkError('NoSuchBucket', 404), { service: 'S3', operation: 'ListObjectsV2', bucket: 'gone-bucket' });
    expect(error.code).toBe('aws_not_found');
    expect(error.userMessage).toContain('gone-bucket');
  });

  it.each(['ThrottlingException', 'Throttling', 'SlowDown', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException'])(
    'maps %s to aws_throttled',
    (name) => {
      expect(toUserFacingError(sdkError(name, 400), { service: 'CloudWatch', operation: 'GetMetricData' }).code).toBe('aws_throttled');
    },
  );

  it('maps a timeout to aws_timeout naming the service that did not answer', () => {
    const error = toUserFacingError(sdkError('TimeoutError'), { service: 'CloudWatch', operation: 'GetMetricData' });
    expect(error.code).toBe('aws_timeout');
    expect(error.userMessage).toContain('CloudWatch did not answer');
  });

  it('maps an aborted request to aws_timeout', () => {
    expect(toUserFacingError(sdkError('AbortError'), { service: 'S3', operation: 'ListObjectsV2' }).code).toBe('aws_timeout');
  });

  it('maps a refused connection, even nested as a cause, to aws_timeout', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('request failed', { cause: refused });
    const error = toUserFacingError(wrapped, { service: 'Cost Explorer', operation: 'GetCostAndUsage' });
    expect(error.code).toBe('aws_timeout');
    expect(error.userMessage).toContain('Cost Explorer refused the connection');
  });

  it('tells what to set when credentials are missing', () => {
    const error = toUserFacingError(sdkError('CredentialsProviderError'), { service: 'S3', operation: 'GetBucketLocation' });
    expect(error.code).toBe('aws_credentials');
    expect(error.userMessage).toContain('AWS_ACCESS_KEY_ID');
    expect(error.userMessage).toContain('AWS_PROFILE');
  });

  it('tells to refresh expired credentials', () => {
    const error = toUserFacingError(sdkError('ExpiredToken', 400), { service: 'S3', operation: 'GetBucketLocation' });
    expect(error.code).toBe('aws_credentials');
    expect(error.userMessage).toMatch(/expired/i);
  });

  it('never repeats the SDK message, which can carry request details', () => {
    const leaky = sdkError('InvalidAccessKeyId', 403, { message: 'The AWS Access Key Id AKIASECRETSECRET you provided does not exist' });
    const error = toUserFacingError(leaky, { service: 'S3', operation: 'GetBucketLocation' });
    expect(error.code).toBe('aws_credentials');
    expect(error.userMessage).not.toContain('AKIASECRETSECRET');
    const other = toUserFacingError(sdkError('InternalError', 500, { message: 'secret-token-xyz' }), { service: 'S3', operation: 'GetBucketLocation' });
    expect(other.code).toBe('aws_error');
    expect(other.userMessage).not.toContain('secret-token-xyz');
  });

  it('names an AWS error by its name, but never repeats a name in another shape (markup, a mention, terminal controls)', () => {
    const named = toUserFacingError(sdkError('InternalError', 500), { service: 'S3', operation: 'GetBucketLocation' });
    expect(named.userMessage).toContain('(InternalError)');
    for (const hostile of ['<@U0VICTIM>', '<https://evil.example|login>', '`code`', 'Bad\u001b[2JName', '*bold* _it_', 'x'.repeat(101)]) {
      const error = toUserFacingError(sdkError(hostile, 500), { service: 'S3', operation: 'GetBucketLocation', bucket: 'docs-bucket' });
      expect(error.code).toBe('aws_error');
      expect(error.userMessage).not.toContain(hostile);
      expect(error.userMessage).toContain('(an error with an unexpected name (see the log))');
    }
  });

  it('keeps the original error as the cause and passes UserFacingError through', () => {
    const original = sdkError('SlowDown', 503);
    const mapped = toUserFacingError(original, { service: 'S3', operation: 'ListObjectsV2' });
    expect(mapped.cause).toBe(original);
    expect(toUserFacingError(mapped, { service: 'S3', operation: 'X' })).toBe(mapped);
    expect(mapped).toBeInstanceOf(UserFacingError);
  });
});
