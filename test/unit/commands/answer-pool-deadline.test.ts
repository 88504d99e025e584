import { describe, expect, it } from 'vitest';
import { DeadlineExceeded } from '../../../src/aws/deadlines.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { AnswerPool } from '../../../src/commands/answer-pool.js';

const options = { reuseMs: 20_000, concurrency: 1, maxQueue: 0, deadlineMs: 50, graceMs: 50, now: () => new Date(0) };

describe('AnswerPool deadline', () => {
  it('aborts the work at the deadline, and the work answers with what it has', async () => {
    const pool = new AnswerPool<string>(options);
    const answer = pool.ask('k', (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(`partial: ${(signal.reason as DeadlineExceeded).ms} ms`))));
    if (answer.kind !== 'computing') throw new Error('expected a computation');
    expect(await answer.promise).toBe('partial: 50 ms');
  });

  it('gives the slot back after the grace even when the work ignores its signal, and says it did not answer', async () => {
    const pool = new AnswerPool<string>(options);
    const stuck = pool.ask('stuck', () => new Promise<string>(() => undefined));
    if (stuck.kind !== 'computing') throw new Error('expected a computation');
    // The one slot is taken and nothing may wait: a second question is refused meanwhile.
    expect(pool.ask('other', async () => 'x').kind).toBe('busy');
    const failure = await stuck.promise.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as UserFacingError).userMessage).toMatch(/^The answer was not ready within \d+ s; try again in a minute\.$/);
    expect(pool.load).toBe(0);
    const next = pool.ask('other', async () => 'answered');
    if (next.kind !== 'computing') throw new Error('the slot was not given back');
    expect(await next.promise).toBe('answered');
  });

  it('does not keep an answer that is not reusable (a partial one), so the next question computes again', async () => {
    let runs = 0;
    const pool = new AnswerPool<string>({ ...options, maxQueue: 1, reusable: (v) => !v.startsWith('partial') });
    const first = pool.ask('k', async () => `partial ${++runs}`);
    if (first.kind === 'computing') await first.promise;
    expect(pool.recent('k')).toBeUndefined();
    const second = pool.ask('k', async () => `whole ${++runs}`);
    if (second.kind === 'computing') await second.promise;
    expect(pool.recent('k')?.value).toBe('whole 2');
  });

  it('takes a longer deadline for one question when asked to', async () => {
    const pool = new AnswerPool<string>(options);
    const started = performance.now();
    const answer = pool.ask('digest', (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(`aborted after ${(signal.reason as DeadlineExceeded).ms} ms`))), { deadlineMs: 150 });
    if (answer.kind !== 'computing') throw new Error('expected a computation');
    expect(await answer.promise).toBe('aborted after 150 ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
