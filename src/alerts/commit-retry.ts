/**
 * The optimistic commit of alert states, written once: read the states, compute the change, commit
 * it with a compare-and-set on each version; when a state moved in between (a button press, another
 * worker), read and compute again, a bounded number of times.
 */

/** What a try returns when its commit met a state that moved since it was read. */
export const CONFLICT: unique symbol = Symbol('alert state conflict');

/**
 * Runs `attempt` (read, compute, commit) until it returns anything but `CONFLICT`, at most `times`
 * times; `onConflict` hears of each conflict. Resolves `CONFLICT` when every try met one.
 */
export async function commitUntilSettled<T>(times: number, attempt: (n: number) => Promise<T | typeof CONFLICT>, onConflict?: (n: number) => void): Promise<T | typeof CONFLICT> {
  for (let n = 1; n <= times; n += 1) {
    const outcome = await attempt(n);
    if (outcome !== CONFLICT) return outcome;
    onConflict?.(n);
  }
  return CONFLICT;
}
