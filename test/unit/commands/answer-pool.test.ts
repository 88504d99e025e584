import { describe, expect, it } from 'vitest';
import { AnswerPool } from '../../../src/commands/answer-pool.js';

function clock(start = '2025-01-01T00:00:00Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('AnswerPool', () => {
  it('shares one computation among identical questions and reuses the answer for the reuse window', async () => {
    const time = clock();
    const pool = new AnswerPool<string>({ reuseMs: 20_000, concurrency: 2, maxQueue: 2, now: time.now });
    let runs = 0;
    const compute = async () => {
      runs += 1;
      return `answer ${runs}`;
    };
    const answers = Array.from({ length: 50 }, () => pool.ask('status:a', compute));
    expect(answers.filter((a) => a.kind === 'computing' && !a.joined)).toHaveLength(1);
    expect(answers.filter((a) => a.kind === 'computing' && a.joined)).toHaveLength(49);
    const first = answers[0]!;
    if (first.kind !== 'computing') throw new Error('expected a computation');
    expect(await first.promise).toBe('answer 1');

    time.advance(5_000);
    const reused = pool.ask('status:a', compute);
    expect(reused).toEqual({ kind: 'reused', value: 'answer 1', ageMs: 5_000 });

    time.advance(15_000);
    const expired = pool.ask('status:a', compute);
    expect(expired.kind).toBe('computing');
    if (expired.kind === 'computing') expect(await expired.promise).toBe('answer 2');
    expect(runs).toBe(2);
  });

  it('starts new work only after the I/O already waiting, so requests read in the same turn are acknowledged first', async () => {
    const pool = new AnswerPool<number>({ reuseMs: 20_000, concurrency: 2, maxQueue: 2, now: () => new Date(0) });
    const order: string[] = [];
    const answer = pool.ask('k', async () => {
      order.push('work');
      return 1;
    });
    // Microtasks (the rest of this request's handling, its acknowledgement) run before the work...
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    order.push('microtasks done');
    // ...and it starts on the next turn of the event loop, after the I/O waiting then (other
    // requests) has been read; a later turn finds it started.
    await new Promise<void>((resolve) => setImmediate(resolve));
    order.push('next turn');
    if (answer.kind === 'computing') expect(await answer.promise).toBe(1);
    expect(order).toEqual(['microtasks done', 'work', 'next turn']);
  });

  it('skips the reused answer when asked for a fresh one', async () => {
    const pool = new AnswerPool<number>({ reuseMs: 20_000, concurrency: 1, maxQueue: 1, now: () => new Date(0) });
    let n = 0;
    const first = pool.ask('k', async () => ++n);
    if (first.kind === 'computing') await first.promise;
    const fresh = pool.ask('k', async () => ++n, { fresh: true });
    expect(fresh.kind).toBe('computing');
    if (fresh.kind === 'computing') expect(await fresh.promise).toBe(2);
  });

  it('says busy, at once, when the running and waiting computations fill the bound', async () => {
    const pool = new AnswerPool<number>({ reuseMs: 0, concurrency: 1, maxQueue: 1, now: () => new Date(0) });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = pool.ask('a', async () => (await gate, 1));
    const b = pool.ask('b', async () => 2);
    expect(pool.ask('c', async () => 3)).toEqual({ kind: 'busy' });
    // Joining a computation in flight needs no slot.
    expect(pool.ask('a', async () => 9)).toMatchObject({ kind: 'computing', joined: true });
    release();
    if (a.kind === 'computing') await a.promise;
    if (b.kind === 'computing') await b.promise;
    expect(pool.load).toBe(0);
    expect(pool.ask('c', async () => 3).kind).toBe('computing');
  });

  it('does not keep failures: the next question computes again', async () => {
    const pool = new AnswerPool<number>({ reuseMs: 20_000, concurrency: 1, maxQueue: 0, now: () => new Date(0) });
    const failed = pool.ask('k', async () => Promise.reject(new Error('AccessDenied')));
    if (failed.kind === 'computing') await expect(failed.promise).rejects.toThrow('AccessDenied');
    const next = pool.ask('k', async () => 5);
    expect(next.kind).toBe('computing');
    if (next.kind === 'computing') expect(await next.promise).toBe(5);
  });
});
