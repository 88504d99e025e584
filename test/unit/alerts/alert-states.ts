// Alert states as the worker leaves them in Redis, for tests of what reads them.
import type { Redis } from 'ioredis';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertState } from '../../../src/alerts/types.js';
import type { StoredLineFinding } from '../../../src/message/alert-findings.js';
import type { Severity } from '../../../src/message/model.js';

/** A state of `rule` on `bucket` with the given fields over a fresh one's. */
export function alertState(rule: string, bucket: string, fields: Partial<AlertState> = {}, severity: Severity = 'critical'): AlertState {
  const base = initialState({ rule, bucket }, severity, new Date(fields.updatedAt ?? '2026-03-10T12:00:00Z'));
  return { ...base, ...fields };
}

/** A line as a state written before findings holds it (read back as a `stored-line` finding). */
export function storedLine(text: string): StoredLineFinding {
  return { rule: 'stored-line', text };
}

/** Writes states as a committed tick would (no events, so nothing is queued for delivery). */
export async function seedAlertStates(redis: Redis, keyPrefix: string | undefined, states: readonly AlertState[]): Promise<AlertStore> {
  const store = new AlertStore(redis, keyPrefix === undefined ? {} : { keyPrefix });
  const result = await store.commit(states.map((state) => ({ expectedVersion: 0, state, events: [] })));
  if (result !== 'ok') throw new Error(`could not seed alert states: ${result}`);
  return store;
}
