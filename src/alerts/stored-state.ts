/**
 * Alert states and events as Redis holds them, read back. States keep what their rule found
 * (`finding`); those written before that kept the rule's own line in `text`, and are read with
 * that line as a `stored-line` finding, so alerts firing across an upgrade keep their messages.
 */
import type { AlertFinding } from '../message/alert-findings.js';
import type { AlertEvent, AlertState } from './types.js';

/** A state as an earlier version wrote it: a worded `text` instead of a finding. */
type StoredState = Omit<AlertState, 'finding'> & { finding?: AlertFinding | null; text?: unknown };

/** A state from its stored JSON, in today's shape whichever version wrote it. */
export function readStoredState(json: string): AlertState {
  return upgradeState(JSON.parse(json) as StoredState);
}

/** An outbox event from its stored JSON, its state in today's shape. */
export function readStoredEvent(json: string): AlertEvent {
  const event = JSON.parse(json) as Omit<AlertEvent, 'state'> & { state: StoredState };
  return { ...event, state: upgradeState(event.state) };
}

function upgradeState(stored: StoredState): AlertState {
  const { text, finding, ...rest } = stored;
  // A `text` means an earlier version wrote the state last (it keeps fields it does not know, a
  // finding among them, as they were): its line is the newest word on the alert.
  if (typeof text === 'string') return { ...rest, finding: text === '' ? null : { rule: 'stored-line', text } };
  return { ...rest, finding: finding ?? null };
}
