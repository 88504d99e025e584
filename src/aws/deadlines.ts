/**
 * How long the bot waits on AWS. Each port call carries its own deadline (all pages and retries
 * of one need), and a command's overall deadline reaches it as an abort signal: whichever comes
 * first cancels the call, so a stalled endpoint costs a bounded wait, never a held slot.
 */
import { setMaxListeners } from 'node:events';
import { UserFacingError } from '../lib/errors.js';
import type { AwsService } from './errors.js';

/** One HTTP attempt (until the answer starts) of a call a person waits for; past it the attempt fails and the SDK may retry within the call's deadline. */
export const AWS_ATTEMPT_TIMEOUT_MS = 4_000;
/** One port call a person waits for (it carries a command's signal): every page and retry of it. Shorter than the command's, so the command can still answer with the rest. */
export const AWS_CALL_DEADLINE_MS = 6_000;
/**
 * The same for background work (alert evaluation, the digest, the command line): reads of a whole
 * fleet take many pages and no one is waiting on a chat answer, yet a stall must still end.
 */
export const AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS = 30_000;
export const AWS_BACKGROUND_CALL_DEADLINE_MS = 120_000;
/** A command answered through `response_url`: past it, its AWS calls are cancelled and it answers with what it has. */
export const COMMAND_DEADLINE_MS = 8_000;

/** What an abort signal carries when a deadline, rather than a person, cancelled the work. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}

/** Listeners one deadline's signal may have before Node warns: every SDK call under it adds a few. */
const SIGNAL_LISTENERS = 100;

/** A running deadline: its signal, and `stop()` to drop the timer once the work is done. */
export interface Deadline {
  signal: AbortSignal;
  stop(): void;
}

/** Starts a deadline that aborts with `DeadlineExceeded(ms)` after `ms`, or earlier with the parent's reason. */
export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(new DeadlineExceeded(ms)), ms);
  // A deadline never keeps the process alive on its own.
  timer.unref();
  const signal = parent ? AbortSignal.any([parent, own.signal]) : own.signal;
  // One deadline serves every call of a command (a bucket's facts are eleven at once), each listening.
  setMaxListeners(SIGNAL_LISTENERS, signal);
  return { signal, stop: () => clearTimeout(timer) };
}

/** The seconds a deadline allowed, from an aborted signal's reason (`fallbackMs` for any other reason). */
export function deadlineSecondsOf(signal: AbortSignal, fallbackMs: number): number {
  const reason: unknown = signal.reason;
  const ms = reason instanceof DeadlineExceeded ? reason.ms : fallbackMs;
  return Math.round(ms / 100) / 10;
}

/** "CloudWatch did not answer within 6 s (GetMetricData)", as an error a report can show or note. */
export function notAnsweredError(service: AwsService, operation: string, signal: AbortSignal, cause: unknown): UserFacingError {
  return new UserFacingError('aws_timeout', `${notAnsweredText(service, deadlineSecondsOf(signal, AWS_CALL_DEADLINE_MS))} (${operation}); try again in a minute.`, { cause });
}

/** "S3 did not answer within 4 s (ListObjectsV2)" for a call whose attempts timed out on their own. */
function notAnsweredWithin(service: AwsService, operation: string, ms: number, cause: unknown): UserFacingError {
  return new UserFacingError('aws_timeout', `${notAnsweredText(service, Math.round(ms / 100) / 10)} (${operation}); try again in a minute.`, { cause });
}

/**
 * True for the HTTP handler's own timeout of one attempt (`throwOnRequestTimeout`, or a socket
 * `ETIMEDOUT`). The handler also names a reset or broken socket (`ECONNRESET`, `EPIPE`)
 * `TimeoutError`: that one did answer, badly, and keeps the network wording.
 */
function isAttemptTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && error.name === 'TimeoutError' && code !== 'ECONNRESET' && code !== 'EPIPE';
}

/** The sentence that names a service that did not answer in time. */
export function notAnsweredText(service: string, seconds: number): string {
  return `${service} did not answer within ${seconds} s`;
}

/** The options every port call takes: the signal of the command it serves (absent for background work). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** What each SDK request of a call is sent with: `client.send(command, sdk)`, and a paginator's third argument. */
export interface SdkCallOptions {
  abortSignal: AbortSignal;
  requestTimeout: number;
}

/** A port call's running deadline, and the options its SDK requests carry. */
export interface CallDeadline extends Deadline {
  sdk: SdkCallOptions;
}

/** Starts one port call's deadline: the short one when a person waits (`options.signal` is set), else the background one. */
export function startCallDeadline(options: CallOptions): CallDeadline {
  const waiting = options.signal !== undefined;
  const deadline = startDeadline(waiting ? AWS_CALL_DEADLINE_MS : AWS_BACKGROUND_CALL_DEADLINE_MS, options.signal);
  return { ...deadline, sdk: { abortSignal: deadline.signal, requestTimeout: waiting ? AWS_ATTEMPT_TIMEOUT_MS : AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS } };
}

/**
 * Runs one port call under its deadline: `call` gets the options to hand the SDK; a failure after
 * the signal aborted says the service did not answer in time, any other goes through `otherwise`.
 */
export async function withCallDeadline<T>(
  target: { service: AwsService; operation: string },
  options: CallOptions,
  call: (sdk: SdkCallOptions) => Promise<T>,
  otherwise: (error: unknown) => Error,
): Promise<T> {
  const { signal, stop, sdk } = startCallDeadline(options);
  try {
    return await call(sdk);
  } catch (error) {
    if (signal.aborted) throw notAnsweredError(target.service, target.operation, signal, error);
    // The last attempt ran out of its own time before the call's deadline: the same story, told the same way.
    if (isAttemptTimeout(error)) throw notAnsweredWithin(target.service, target.operation, sdk.requestTimeout, error);
    throw otherwise(error);
  } finally {
    stop();
  }
}
