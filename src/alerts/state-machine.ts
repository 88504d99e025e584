/**
 * The alert state machine, as pure functions: ok → pending → firing → resolved, with repeat,
 * snooze and acknowledge. Every change that someone should hear about bumps `version` and yields
 * exactly one event; the store commits state and events together.
 */
import type { Severity } from '../message/model.js';
import type { AlertAction, AlertEvent, AlertKey, AlertState, Verdict } from './types.js';
import { alertId } from './types.js';

export interface TransitionPolicy {
  /** How often a firing alert is repeated in its thread. */
  repeatMs: number;
  /** False for one-off warnings, which never repeat. */
  repeats: boolean;
}

/** What a transition produced: the next state and the events to notify, in order. */
export interface Transition {
  state: AlertState;
  events: AlertEvent[];
}

/** An alert never seen before: ok, version 0. */
export function initialState(key: AlertKey, severity: Severity, now: Date): AlertState {
  return {
    id: alertId(key),
    rule: key.rule,
    bucket: key.bucket,
    severity,
    status: 'ok',
    version: 0,
    episode: 0,
    since: null,
    resolvedAt: null,
    lastNotifiedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    value: null,
    threshold: 0,
    finding: null,
    recent: [],
    lastSlot: null,
    updatedAt: now.toISOString(),
  };
}

/** Applies one tick's verdict; a slot at or before the last applied one changes nothing. */
export function applyVerdict(state: AlertState, verdict: Verdict, tick: { slot: Date; now: Date }, policy: TransitionPolicy): Transition {
  const slot = tick.slot.toISOString();
  if (state.lastSlot !== null && slot <= state.lastSlot) return { state, events: [] };
  const now = tick.now.toISOString();
  const next: AlertState = {
    ...state,
    value: verdict.value,
    threshold: verdict.threshold,
    finding: verdict.finding,
    recent: verdict.recent,
    lastSlot: slot,
    updatedAt: now,
  };
  const breachStart = (verdict.breachingSince ?? tick.now).toISOString();

  if (state.status !== 'firing') {
    if (verdict.status === 'firing') {
      return change(
        {
          ...next,
          status: 'firing',
          episode: state.episode + 1,
          since: breachStart,
          resolvedAt: null,
          lastNotifiedAt: now,
          snoozedUntil: null,
          snoozedBy: null,
          acknowledgedBy: null,
          acknowledgedAt: null,
        },
        'fired',
        now,
      );
    }
    if (verdict.status === 'pending') return quiet({ ...next, status: 'pending', since: state.status === 'pending' ? state.since : breachStart });
    // Not breaching: pending falls back to ok; a resolved alert stays resolved (for `/s3 alerts`).
    return quiet({ ...next, status: state.status === 'pending' ? 'ok' : state.status, since: state.status === 'pending' ? null : state.since });
  }

  // Firing. A broken run resolves it, as a CloudWatch alarm returns to OK.
  if (verdict.status !== 'firing') {
    return change(
      { ...next, status: verdict.status === 'pending' ? 'pending' : 'resolved', resolvedAt: now, snoozedUntil: null, snoozedBy: null },
      'resolved',
      now,
    );
  }
  if (state.snoozedUntil !== null && tick.now.getTime() >= Date.parse(state.snoozedUntil)) {
    return change({ ...next, snoozedUntil: null, lastNotifiedAt: now }, 'snooze-ended', now);
  }
  const quietNow = state.acknowledgedBy !== null || state.snoozedUntil !== null || !policy.repeats;
  const last = state.lastNotifiedAt === null ? 0 : Date.parse(state.lastNotifiedAt);
  if (!quietNow && tick.now.getTime() - last >= policy.repeatMs) {
    return change({ ...next, lastNotifiedAt: now }, 'reminder', now);
  }
  return quiet(next);
}

/** The result of a button press: the transition, or why it changed nothing. */
export type ActionResult = (Transition & { ok: true }) | { ok: false; problem: string };

/** Applies Snooze or Acknowledge, pressed on the message of episode `episode`. */
export function applyAction(state: AlertState, action: AlertAction, episode: number, now: Date): ActionResult {
  if (state.status !== 'firing' || state.episode !== episode) {
    return { ok: false, problem: 'This alert is no longer firing, so there is nothing to snooze or acknowledge.' };
  }
  const at = now.toISOString();
  if (action.kind === 'acknowledge') {
    if (state.acknowledgedBy !== null) return { ok: false, problem: `<@${state.acknowledgedBy}> already acknowledged this alert.` };
    return { ok: true, ...change({ ...state, acknowledgedBy: action.user, acknowledgedAt: at, updatedAt: at }, 'acknowledged', at, action.user) };
  }
  const until = new Date(now.getTime() + action.hours * 3_600_000).toISOString();
  return { ok: true, ...change({ ...state, snoozedUntil: until, snoozedBy: action.user, updatedAt: at }, 'snoozed', at, action.user) };
}

function change(state: AlertState, kind: AlertEvent['kind'], at: string, user?: string): Transition {
  const next = { ...state, version: state.version + 1 };
  return { state: next, events: [{ kind, version: next.version, at, ...(user ? { user } : {}), state: next }] };
}

function quiet(state: AlertState): Transition {
  return { state, events: [] };
}
