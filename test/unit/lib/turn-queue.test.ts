import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../src/lib/turn-queue.js';

describe('TurnQueue', () => {
  it('gives callers who ask at once one turn each, in order, with the event loop running between them', async () => {
    const queue = new TurnQueue();
    const order: string[] = [];
    const turns = [1, 2, 3].map((n) => queue.next().then(() => order.push(`turn ${n}`)));
    // Other callbacks of the event loop, queued now: each runs before the next turn.
    setImmediate(() => {
      order.push('other 1');
      setImmediate(() => order.push('other 2'));
    });
    await Promise.all(turns);
    expect(order).toEqual(['turn 1', 'other 1', 'turn 2', 'other 2', 'turn 3']);
  });

  it('goes on handing out turns to callers who come later', async () => {
    const queue = new TurnQueue();
    await queue.next();
    const later: number[] = [];
    await Promise.all([queue.next().then(() => later.push(1)), queue.next().then(() => later.push(2))]);
    expect(later).toEqual([1, 2]);
  });
});
