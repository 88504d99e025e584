import { UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { dispatchByName } from '../../../src/jobs/dispatch.js';

const job = (name: string) => ({ name, id: '1' }) as Job;

describe('dispatchByName', () => {
  it('runs the handler of the job name, with the lock token', async () => {
    const seen: string[] = [];
    const run = dispatchByName('q', { a: async (j, token) => seen.push(`${j.name}:${token}`), b: async () => seen.push('b') });
    await run(job('a'), 'tok');
    expect(seen).toEqual(['a:tok']);
  });

  it('fails an unknown name as unrecoverable, naming the queue and the jobs it runs', async () => {
    const run = dispatchByName('q', { a: async () => 1, b: async () => 2 });
    const error = await run(job('c')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe('unknown job "c" on queue q; this worker runs: a, b');
  });

  it('does not take inherited names for handlers', async () => {
    const run = dispatchByName('q', { a: async () => 1 });
    await expect(run(job('toString'))).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
