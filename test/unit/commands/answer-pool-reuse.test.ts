import { describe, expect, it } from 'vitest';
import { AnswerPool } from '../../../src/commands/answer-pool.js';

const pool = () => new AnswerPool<number>({ reuseMs: 20_000, concurrency: 1, maxQueue: 1, now: () => new Date('2025-01-01T00:00:00Z') });

describe('AnswerPool reuse for commands that act', () => {
  it('reuse false: every question runs, even with an identical one running or just answered, and the limiter still bounds them', async () => {
    const p = pool();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      runs += 1;
      await gate;
      return runs;
    };
    const first = p.ask('test', compute, { reuse: false });
    const second = p.ask('test', compute, { reuse: false });
    expect(first).toMatchObject({ kind: 'computing', joined: false });
    expect(second).toMatchObject({ kind: 'computing', joined: false });
    // One running and one waiting fill concurrency 1 + queue 1: the third is refused, not run.
    expect(p.ask('test', compute, { reuse: false })).toEqual({ kind: 'busy' });
    release();
    await Promise.all([first, second].map((a) => (a.kind === 'computing' ? a.promise : undefined)));
    const third = p.ask('test', compute, { reuse: false });
    expect(third.kind).toBe('computing');
    if (third.kind === 'computing') await third.promise;
    expect(runs).toBe(3);
  });

  it("reuse 'in-flight': joins a computation still running, but a finished answer is never handed out again", async () => {
    const p = pool();
    let runs = 0;
    const compute = async () => ++runs;
    const first = p.ask('cleanup', compute, { reuse: 'in-flight' });
    expect(p.ask('cleanup', compute, { reuse: 'in-flight' })).toMatchObject({ kind: 'computing', joined: true });
    if (first.kind === 'computing') expect(await first.promise).toBe(1);
    const later = p.ask('cleanup', compute, { reuse: 'in-flight' });
    expect(later).toMatchObject({ kind: 'computing', joined: false });
    if (later.kind === 'computing') expect(await later.promise).toBe(2);
    // Nor does a default question find it stored.
    expect(p.ask('cleanup', compute).kind).toBe('computing');
  });
});

describe('AnswerPool.recent', () => {
  it('gives the answer stored within the reuse time, with its age, and starts nothing; nothing once it is older', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const p = new AnswerPool<number>({ reuseMs: 20_000, concurrency: 1, maxQueue: 1, now: () => now });
    expect(p.recent('status')).toBeUndefined();
    const first = p.ask('status', async () => 7);
    if (first.kind === 'computing') await first.promise;
    now = new Date(now.getTime() + 5_000);
    expect(p.recent('status')).toEqual({ kind: 'reused', value: 7, ageMs: 5_000 });
    expect(p.load).toBe(0);
    now = new Date(now.getTime() + 15_000);
    expect(p.recent('status')).toBeUndefined();
  });
});
