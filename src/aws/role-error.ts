/**
 * The error of a role that could not be assumed, apart from the code that assumes it, so the
 * translation of AWS errors (which the deadlines use) can know it without importing STS.
 */
/** A role that could not be assumed: the account, the role and the error AWS gave. */
export class RoleNotAssumedError extends Error {
  constructor(
    readonly account: string,
    readonly roleArn: string,
    /** AWS's error name (`AccessDenied`), or the network failure's. */
    readonly awsError: string,
    options?: { cause?: unknown },
  ) {
    super(`the role ${roleArn} in ${account} could not be assumed: ${awsError}`, options);
    this.name = 'RoleNotAssumedError';
  }
}
