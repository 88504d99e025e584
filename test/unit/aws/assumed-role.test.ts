import { beforeEach, describe, expect, it, vi } from 'vitest';
import { assumeRoleCredentials, REFRESH_BEFORE_EXPIRY_MS, RoleNotAssumedError } from '../../../src/aws/assumed-role.js';
import { toUserFacingError } from '../../../src/aws/errors.js';

// The STS call itself is moto's to answer (test/integration/fleet); here only how its answers are shared and renewed.
const assume = vi.fn();
const fromTemporaryCredentials = (() => assume) as never;

const role = { id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/s3-chatops-read' };
const sts = { region: 'us-east-1', requestHandler: {} as never, maxAttempts: 3, logger: {} as never };
const session = (n: number, expiresAt: number) => ({ accessKeyId: `ASIA${n}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(expiresAt) });

describe('assumeRoleCredentials', () => {
  beforeEach(() => assume.mockReset());

  it('assumes the role once for callers at the same time, and reuses the session until shortly before it expires', async () => {
    let now = 0;
    const hour = 3_600_000;
    assume.mockImplementationOnce(async () => session(1, hour)).mockImplementationOnce(async () => session(2, 2 * hour));
    const credentials = assumeRoleCredentials(role, sts, { now: () => now, fromTemporaryCredentials });
    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(a.accessKeyId).toBe('ASIA1');
    expect(b).toBe(a);
    now = hour - REFRESH_BEFORE_EXPIRY_MS - 1;
    expect((await credentials()).accessKeyId).toBe('ASIA1');
    expect(assume).toHaveBeenCalledTimes(1);
    now = hour - REFRESH_BEFORE_EXPIRY_MS + 1;
    expect((await credentials()).accessKeyId).toBe('ASIA2');
    expect(assume).toHaveBeenCalledTimes(2);
  });

  it('names the role, its account and AWS\'s error when it cannot be assumed, and tries again on the next call', async () => {
    assume.mockRejectedValueOnce(Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' })).mockResolvedValueOnce(session(3, Date.now() + 3_600_000));
    const credentials = assumeRoleCredentials(role, sts, { fromTemporaryCredentials });
    const error = await credentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoleNotAssumedError);
    const said = toUserFacingError(error, { service: 'S3', operation: 'GetBucketVersioning', bucket: 'prod-docs' });
    expect(said.code).toBe('aws_credentials');
    expect(said.userMessage).toContain('The role `arn:aws:iam::222222222222:role/s3-chatops-read` in 222222222222 could not be assumed: AccessDenied');
    expect((await credentials()).accessKeyId).toBe('ASIA3');
  });

  it('does not repeat an STS error name in a shape AWS never uses', async () => {
    assume.mockRejectedValueOnce(Object.assign(new Error('denied'), { name: '<!channel> <https://evil.example|re-login>' }));
    const error = await assumeRoleCredentials(role, sts, { fromTemporaryCredentials })().catch((e: unknown) => e);
    const said = toUserFacingError(error, { service: 'S3', operation: 'GetBucketVersioning', bucket: 'prod-docs' });
    expect(said.userMessage).toContain('could not be assumed: an error with an unexpected name (see the log)');
    expect(said.userMessage).not.toContain('<');
  });

  it('stops waiting for an STS that does not answer, saying so, and assumes afresh next time', async () => {
    assume.mockImplementationOnce(() => new Promise(() => undefined)).mockResolvedValueOnce(session(4, Date.now() + 3_600_000));
    const credentials = assumeRoleCredentials(role, sts, { deadlineMs: 20, fromTemporaryCredentials });
    const error = await credentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoleNotAssumedError);
    expect((error as InstanceType<typeof RoleNotAssumedError>).message).toContain('could not be assumed: STS did not answer within 0.02 s');
    expect((await credentials()).accessKeyId).toBe('ASIA4');
  });
});

