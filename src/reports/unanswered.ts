/**
 * Partial answers: a report whose sources are independent shows what answered and names what did
 * not ("CloudWatch did not answer within 6 s"), rather than failing whole.
 */
import { UserFacingError } from '../lib/errors.js';
import type { Block, Report } from '../message/model.js';

/** The error codes that mean a source is unavailable now (stalled, timing out, throttling), not wrong. */
const UNAVAILABLE = new Set(['aws_timeout', 'aws_throttled']);

/** True when `error` says a source did not answer in time or is shedding load: worth a partial answer. */
export function isUnavailable(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError && UNAVAILABLE.has(error.code);
}

/**
 * The value of `promise`, or `{ unanswered }` with the person-facing sentence when its source is
 * unavailable; any other failure is thrown as before.
 */
export async function answeredOr<T>(promise: Promise<T>): Promise<{ value: T } | { unanswered: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    if (isUnavailable(error)) return { unanswered: error.userMessage };
    throw error;
  }
}

/** `promise`, or a rejection with `signal`'s reason once it aborts: a read that has no signal of its own stops being waited for. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
}

/** The block that names the sources that did not answer, or none when all did. */
export function unansweredBlocks(notes: readonly string[] | undefined): Block[] {
  if (!notes?.length) return [];
  return [{ kind: 'list', title: 'Did not answer', items: notes.map((text) => ({ severity: 'warning', text })) }];
}

/** True when the report names a source that did not answer (its data's `unanswered`): such an answer is not reused. */
export function isPartial(report: Report): boolean {
  const data = report.data as { unanswered?: unknown } | null | undefined;
  return Array.isArray(data?.unanswered) && data.unanswered.length > 0;
}

/** The start of the sentence a port's deadline writes ("S3 did not answer within 6 s"). */
export const NOT_ANSWERED_IN_TIME = /^\S+ did not answer within [\d.]+ s/;
