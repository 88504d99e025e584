/**
 * How long the bot waits on AWS. Each port call carries its own deadline (all pages and retries
 * of one need), and a command's overall deadline reaches it as an abort signal: whichever comes
 * first cancels the call, so a stalled endpoint costs a bounded wait, never a held slot.
 */
import { setMaxListeners } from 'node:events';
import { UserFacingError } from '../lib/errors.js';
import type { AwsService } from './errors.js';

/** One HTTP attempt; past it the attempt fails (and the SDK may retry within the call's deadline). */
export const AWS_ATTEMPT_TIMEOUT_MS = 4_000;
/** One port call: every page and retry of it. Shorter than a command's, so a command can still answer with the rest. */
export const AWS_CALL_DEADLINE_MS = 6_000;
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

/** The sentence that names a service that did not answer in time. */
export function notAnsweredText(service: string, seconds: number): string {
  return `${service} did not answer within ${seconds} s`;
}

/** The options every port call takes: the signal of the command it serves. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Runs one port call under its deadline: `call` gets the signal to hand the SDK; a failure after
 * the signal aborted says the service did not answer in time, any other goes through `otherwise`.
 */
export async function withCallDeadline<T>(
  target: { service: AwsService; operation: string },
  options: CallOptions,
  call: (signal: AbortSignal) => Promise<T>,
  otherwise: (error: unknown) => Error,
): Promise<T> {
  const { signal, stop } = startDeadline(AWS_CALL_DEADLINE_MS, options.signal);
  try {
    return await call(signal);
  } catch (error) {
    if (signal.aborted) throw notAnsweredError(target.service, target.operation, signal, error);
    throw otherwise(error);
  } finally {
    stop();
  }
}
