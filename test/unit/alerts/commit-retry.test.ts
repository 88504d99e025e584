import { describe, expect, it } from 'vitest';
import { commitUntilSettled, CONFLICT } from '../../../src/alerts/commit-retry.js';

describe('commitUntilSettled', () => {
  it('tries again after each conflict and returns the first settled outcome', async () => {
    const conflicts: number[] = [];
    const tries: number[] = [];
    const outcome = await commitUntilSettled(5, async (n) => (tries.push(n), n < 3 ? CONFLICT : `settled on ${n}`), (n) => conflicts.push(n));
    expect(outcome).toBe('settled on 3');
    expect(tries).toEqual([1, 2, 3]);
    expect(conflicts).toEqual([1, 2]);
  });

  it('stops after its bound and says the state kept moving', async () => {
    let tries = 0;
    expect(await commitUntilSettled(4, async () => (tries++, CONFLICT))).toBe(CONFLICT);
    expect(tries).toBe(4);
  });
});
