import { describe, expect, it } from 'vitest';
import {
  AWS_ATTEMPT_TIMEOUT_MS,
  AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS,
  AWS_BACKGROUND_CALL_DEADLINE_MS,
  AWS_CALL_DEADLINE_MS,
  DeadlineExceeded,
  startCallDeadline,
  startDeadline,
  withCallDeadline,
} from '../../../src/aws/deadlines.js';
import { UserFacingError } from '../../../src/lib/errors.js';

const target = { service: 'CloudWatch', operation: 'GetMetricData' } as const;
const otherwise = (error: unknown) => new Error(`other: ${String(error)}`);
/** A call that waits for its signal, as the SDK does, and fails with an AbortError then. */
const stalled = ({ abortSignal: signal }: { abortSignal: AbortSignal }) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))));

describe('withCallDeadline', () => {
  it("names the service and the caller's deadline when the caller's signal aborts first", async () => {
    const command = new AbortController();
    setTimeout(() => command.abort(new DeadlineExceeded(8_000)), 10);
    const failure = await withCallDeadline(target, { signal: command.signal }, stalled, otherwise).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as UserFacingError).code).toBe('aws_timeout');
    expect((failure as UserFacingError).userMessage).toBe('CloudWatch did not answer within 8 s (GetMetricData); try again in a minute.');
  });

  it('names the service and the attempt time when its attempts time out on their own before any deadline', async () => {
    const command = new AbortController();
    const timedOut = () => Promise.reject(Object.assign(new Error('the request socket timed out'), { name: 'TimeoutError' }));
    const failure = await withCallDeadline(target, { signal: command.signal }, timedOut, otherwise).catch((e: unknown) => e);
    expect((failure as UserFacingError).code).toBe('aws_timeout');
    expect((failure as UserFacingError).userMessage).toBe('CloudWatch did not answer within 4 s (GetMetricData); try again in a minute.');
    // A reset socket, which the handler also names TimeoutError, is not a timeout: it goes to `otherwise`.
    const reset = () => Promise.reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }));
    await expect(withCallDeadline(target, { signal: command.signal }, reset, otherwise)).rejects.toThrow('other: TimeoutError: socket hang up');
  });

  it('passes other failures to `otherwise`, and answers through', async () => {
    await expect(withCallDeadline(target, {}, async () => 'ok', otherwise)).resolves.toBe('ok');
    await expect(withCallDeadline(target, {}, () => Promise.reject(new Error('boom')), otherwise)).rejects.toThrow('other: Error: boom');
  });
});

describe('startDeadline', () => {
  it('aborts with DeadlineExceeded at its time, and never once stopped', async () => {
    const running = startDeadline(20);
    const stopped = startDeadline(20);
    stopped.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(running.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect((running.signal.reason as DeadlineExceeded).ms).toBe(20);
    expect(stopped.signal.aborted).toBe(false);
  });
});

describe('startCallDeadline', () => {
  it('gives a call a person waits for (one with a signal) the short deadlines, and background work the long ones', async () => {
    const command = new AbortController();
    const waiting = startCallDeadline({ signal: command.signal });
    const background = startCallDeadline({});
    expect(waiting.sdk.requestTimeout).toBe(AWS_ATTEMPT_TIMEOUT_MS);
    expect(background.sdk.requestTimeout).toBe(AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS);
    expect(AWS_CALL_DEADLINE_MS).toBeLessThan(AWS_BACKGROUND_CALL_DEADLINE_MS);
    // The command's signal cancels the call at once, with the command's reason.
    command.abort(new DeadlineExceeded(8_000));
    expect(waiting.sdk.abortSignal.aborted).toBe(true);
    expect((waiting.sdk.abortSignal.reason as DeadlineExceeded).ms).toBe(8_000);
    expect(background.sdk.abortSignal.aborted).toBe(false);
    waiting.stop();
    background.stop();
  });
});
