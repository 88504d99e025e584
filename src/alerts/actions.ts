/** A press of Snooze or Acknowledge: the pure transition, committed with its event, then queued for delivery. */
import { REDIS_COMMAND_TIMEOUT_MS } from '../lib/redis.js';
import { commitUntilSettled, CONFLICT } from './commit-retry.js';
import { applyAction } from './state-machine.js';
import type { AlertStore } from './store.js';
import type { AlertAction, AlertEvent } from './types.js';

export interface AlertActionDeps {
  store: AlertStore;
  /** Queues delivery of the committed events (the notify queue). */
  enqueue: (events: readonly AlertEvent[]) => Promise<void>;
  now: () => Date;
}

/** What the person is told: nothing when it worked (the message changes), else why not. */
export type ActionOutcome = { ok: true } | { ok: false; problem: string };

/** What the presser is told when Redis did not answer: the press is never applied later (see `pressAlertButton`). */
export const REDIS_PRESS_NOT_ANSWERED = `Redis did not answer within ${REDIS_COMMAND_TIMEOUT_MS / 1000} s; nothing was changed, try again.`;

/**
 * Applies a button press to alert `id` of episode `episode`, retrying if the state moved meanwhile.
 * The commit carries a deadline by Redis's clock, read just before: a commit held up on the way
 * (a Redis not answering, then answering) past the time the presser was told "nothing was changed"
 * changes nothing when it finally runs.
 */
export async function pressAlertButton(deps: AlertActionDeps, id: string, episode: number, action: AlertAction): Promise<ActionOutcome> {
  const outcome = await commitUntilSettled<ActionOutcome>(5, async () => {
    const [state] = await deps.store.getStates([id]);
    if (!state) return { ok: false, problem: 'This alert is not known any more.' };
    const result = applyAction(state, action, episode, deps.now());
    if (!result.ok) return result;
    const notAfterMs = (await deps.store.redisTimeMs()) + REDIS_COMMAND_TIMEOUT_MS;
    const committed = await deps.store.commit([{ expectedVersion: state.version, state: result.state, events: result.events }], undefined, { notAfterMs });
    if (committed === 'expired') return { ok: false, problem: REDIS_PRESS_NOT_ANSWERED };
    if (committed !== 'ok') return CONFLICT;
    // The press is recorded and its events are in the outbox: a queueing that fails now is
    // retried by the worker's relay of pending events, so the presser is not told it failed.
    await deps.enqueue(result.events).catch(() => undefined);
    return { ok: true };
  });
  return outcome === CONFLICT ? { ok: false, problem: 'The alert kept changing; press the button again.' } : outcome;
}
