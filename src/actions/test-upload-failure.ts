/** Why a test upload step failed, in words that say what to fix. */
import { DeadlineExceeded } from '../aws/deadlines.js';
import { awsErrorName, toUserFacingError } from '../aws/errors.js';

export type TestUploadStepName = 'write' | 'read' | 'verify' | 'delete';

/** The kinds of failure a person acts on differently. */
export type TestUploadFailureReason = 'permission' | 'bucket-policy' | 'kms' | 'timeout' | 'checksum' | 'other';

export interface TestUploadFailure {
  step: TestUploadStepName;
  reason: TestUploadFailureReason;
  message: string;
}

/** The S3 operation behind each step, as REQUIRED_PERMISSION names it. */
const STEP_OPERATION: Record<TestUploadStepName, string> = { write: 'PutObject', read: 'GetObject', verify: 'GetObject', delete: 'DeleteObject' };
const STEP_KMS_PERMISSION: Record<TestUploadStepName, string> = { write: 'kms:GenerateDataKey', read: 'kms:Decrypt', verify: 'kms:Decrypt', delete: 'kms:Decrypt' };

/** Thrown by the test upload when a step runs past its time limit. */
export class StepTimeoutError extends Error {
  constructor(readonly step: TestUploadStepName, readonly timeoutMs: number) {
    super(`the ${step} step took longer than ${timeoutMs} ms`);
    this.name = 'StepTimeoutError';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a step's error: KMS key access, a bucket policy's explicit deny, a missing permission, a timeout. */
export function describeStepFailure(step: TestUploadStepName, error: unknown, bucket: string): TestUploadFailure {
  const operation = STEP_OPERATION[step];
  if (error instanceof StepTimeoutError) {
    return { step, reason: 'timeout', message: `The ${step} step did not finish within ${error.timeoutMs / 1000} s (${operation} on \`${bucket}\`). S3 or the network path to it is slow; try again, or raise testUpload.timeoutSeconds.` };
  }
  if (error instanceof DeadlineExceeded) {
    return {
      step,
      reason: 'timeout',
      message: `The test upload did not finish within the command's ${error.ms / 1000} s: the ${step} step (${operation} on \`${bucket}\`) was cancelled. S3 or the network path to it is slow; try again in a minute.`,
    };
  }
  const name = awsErrorName(error);
  const text = errorText(error);
  if (/^KMS\./.test(name) || /\bkms\b|KMS key|kms:/i.test(text)) {
    return {
      step,
      reason: 'kms',
      message: `S3 could not use the bucket's KMS key for ${operation} on \`${bucket}\` (${name || 'KMS error'}). Grant the bot's role \`${STEP_KMS_PERMISSION[step]}\` on the key in the key policy or IAM, and check the key is enabled.`,
    };
  }
  const facing = toUserFacingError(error, { service: 'S3', operation, bucket });
  if (facing.code === 'aws_access_denied' && /explicit deny|resource-based policy|bucket policy/i.test(text)) {
    return {
      step,
      reason: 'bucket-policy',
      message: `The bucket policy of \`${bucket}\` denies ${operation} to the bot (an explicit Deny in a resource-based policy). An IAM grant cannot override it: change the bucket policy's Deny statement to exempt the bot's role for \`${bucket}/*\` under the test prefix.`,
    };
  }
  if (facing.code === 'aws_access_denied') return { step, reason: 'permission', message: `Missing permission: ${facing.userMessage}` };
  if (facing.code === 'aws_timeout') return { step, reason: 'timeout', message: facing.userMessage };
  return { step, reason: 'other', message: facing.userMessage };
}
