/** A press of Snooze or Acknowledge: the pure transition, committed with its event, then queued for delivery. */
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

/** Applies a button press to alert `id` of episode `episode`, retrying if the state moved meanwhile. */
export async function pressAlertButton(deps: AlertActionDeps, id: string, episode: number, action: AlertAction): Promise<ActionOutcome> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const [state] = await deps.store.getStates([id]);
    if (!state) return { ok: false, problem: 'This alert is not known any more.' };
    const result = applyAction(state, action, episode, deps.now());
    if (!result.ok) return result;
    const committed = await deps.store.commit([{ expectedVersion: state.version, state: result.state, events: result.events }]);
    if (committed === 'ok') {
      await deps.enqueue(result.events);
      return { ok: true };
    }
  }
  return { ok: false, problem: 'The alert kept changing; press the button again.' };
}
