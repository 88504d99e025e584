/**
 * Typed errors with stable codes and a sentence a person can act on. Entry points show
 * `userMessage` to the person and log the rest.
 */
export type ErrorCode =
  | 'aws_access_denied'
  | 'aws_not_found'
  | 'aws_throttled'
  | 'aws_timeout'
  | 'aws_credentials'
  | 'aws_error'
  | 'unknown_bucket'
  | 'bad_input'
  | 'busy'
  | 'redis_unavailable'
  | 'internal';

export class UserFacingError extends Error {
  readonly code: ErrorCode;
  /** What the person is told: what went wrong and what to do. */
  readonly userMessage: string;
  constructor(code: ErrorCode, userMessage: string, options?: { cause?: unknown }) {
    super(userMessage, options);
    this.name = 'UserFacingError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** The person-facing text of any error: its own message when it is ours, a generic one otherwise. */
export function userMessageOf(error: unknown): string {
  if (error instanceof UserFacingError) return error.userMessage;
  return 'Something went wrong on our side; the details are in the bot\'s log.';
}
