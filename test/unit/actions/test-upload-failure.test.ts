import { describe, expect, it } from 'vitest';
import { describeStepFailure, StepTimeoutError } from '../../../src/actions/test-upload-failure.js';
import { DeadlineExceeded } from '../../../src/aws/deadlines.js';

function awsError(name: string, message: string, status = 403): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('describeStepFailure', () => {
  it('tells a bucket policy deny from a missing IAM permission', () => {
    const policy = describeStepFailure('write', awsError('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: s3:PutObject with an explicit deny in a resource-based policy'), 'b');
    expect(policy).toMatchObject({ step: 'write', reason: 'bucket-policy' });
    expect(policy.message).toMatch(/bucket policy of `b` denies PutObject/);
    const iam = describeStepFailure('read', awsError('AccessDenied', 'because no identity-based policy allows the s3:GetObject action'), 'b');
    expect(iam).toMatchObject({ reason: 'permission' });
    expect(iam.message).toContain('s3:GetObject');
  });

  it('names the KMS permission a step needs', () => {
    const kms = describeStepFailure('write', awsError('KMS.AccessDeniedException', 'User is not authorized to perform kms:GenerateDataKey'), 'b');
    expect(kms).toMatchObject({ reason: 'kms' });
    expect(kms.message).toContain('kms:GenerateDataKey');
    expect(describeStepFailure('read', awsError('AccessDenied', 'The ciphertext refers to a customer master key that does not exist: KMS key access'), 'b').message).toContain('kms:Decrypt');
  });

  it('reports a step past its limit as a timeout', () => {
    expect(describeStepFailure('read', new StepTimeoutError('read', 30_000), 'b')).toMatchObject({ reason: 'timeout', message: expect.stringContaining('30 s') });
    expect(describeStepFailure('write', Object.assign(new Error('socket'), { name: 'TimeoutError' }), 'b').reason).toBe('timeout');
  });

  it("reports a step cut at the command's deadline as that deadline, naming the step and its operation", () => {
    expect(describeStepFailure('read', new DeadlineExceeded(8_000), 'b')).toEqual({
      step: 'read',
      reason: 'timeout',
      message: "The test upload did not finish within the command's 8 s: the read step (GetObject on `b`) was cancelled. S3 or the network path to it is slow; try again in a minute.",
    });
  });
});
