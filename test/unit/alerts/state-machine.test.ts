import { describe, expect, it } from 'vitest';
import { applyAction, applyVerdict, initialState, type TransitionPolicy } from '../../../src/alerts/state-machine.js';
import type { AlertEvent, AlertState, Verdict } from '../../../src/alerts/types.js';

const T0 = Date.parse('2026-03-10T00:00:00Z');
const MIN = 60_000;
const policy: TransitionPolicy = { repeatMs: 4 * 60 * MIN, repeats: true };

function verdict(status: Verdict['status'], sinceMin?: number): Verdict {
  return { status, value: 1, threshold: 0, breachingSince: sinceMin === undefined ? null : new Date(T0 + sinceMin * MIN), finding: { rule: 'server-errors', count: 1, threshold: 0, periodMinutes: 5, periods: 1 }, recent: [], hasData: true };
}

/** Runs verdicts at one per 5 minutes; returns the kinds of events and the final state. */
function run(steps: Verdict['status'][], start: AlertState = initialState({ rule: 'server-errors', bucket: 'b' }, 'critical', new Date(T0)), p = policy) {
  let state = start;
  const events: AlertEvent[] = [];
  // Continue after the last slot the state has seen.
  const base = start.lastSlot === null ? T0 : Date.parse(start.lastSlot);
  steps.forEach((status, i) => {
    const at = new Date(base + (i + 1) * 5 * MIN);
    const t = applyVerdict(state, verdict(status, status === 'ok' ? undefined : i * 5), { slot: at, now: at }, p);
    state = t.state;
    events.push(...t.events);
  });
  return { state, kinds: events.map((e) => e.kind), events };
}

describe('alert state machine', () => {
  it('waits out `for` in pending before firing once', () => {
    const { kinds, state } = run(['pending', 'pending', 'firing', 'firing']);
    expect(kinds).toEqual(['fired']);
    expect(state.status).toBe('firing');
  });

  it('pending that clears makes no noise', () => {
    expect(run(['pending', 'ok', 'pending', 'ok']).kinds).toEqual([]);
  });

  it('resolves, and a new breach is a new episode', () => {
    const { kinds, state } = run(['firing', 'ok', 'ok', 'firing']);
    expect(kinds).toEqual(['fired', 'resolved', 'fired']);
    expect(state.episode).toBe(2);
  });

  it('flapping produces one event per change, each with the next version', () => {
    const { events } = run(['firing', 'ok', 'firing', 'ok', 'firing', 'ok']);
    expect(events.map((e) => e.kind)).toEqual(['fired', 'resolved', 'fired', 'resolved', 'fired', 'resolved']);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('repeats a firing alert every repeat interval', () => {
    const steps = Array.from({ length: 12 * 9 }, () => 'firing' as const); // 9 hours of 5-minute ticks
    const { kinds } = run(steps);
    expect(kinds).toEqual(['fired', 'reminder', 'reminder']);
  });

  it('a one-off warning never repeats', () => {
    const steps = Array.from({ length: 12 * 9 }, () => 'firing' as const);
    expect(run(steps, undefined, { ...policy, repeats: false }).kinds).toEqual(['fired']);
  });

  it('applies a slot once: the same or an older slot changes nothing', () => {
    const s0 = initialState({ rule: 'latency', bucket: 'b' }, 'warning', new Date(T0));
    const at = new Date(T0 + 5 * MIN);
    const first = applyVerdict(s0, verdict('firing', 0), { slot: at, now: at }, policy);
    const again = applyVerdict(first.state, verdict('ok'), { slot: at, now: at }, policy);
    expect(first.events).toHaveLength(1);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(first.state);
  });

  it('acknowledge stops reminders until resolved, and says who', () => {
    const fired = run(['firing']).state;
    const ack = applyAction(fired, { kind: 'acknowledge', user: 'U1' }, fired.episode, new Date(T0 + 6 * MIN));
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.events[0]).toMatchObject({ kind: 'acknowledged', user: 'U1' });
    const later = run(Array.from({ length: 12 * 9 }, () => 'firing' as const), ack.state);
    expect(later.kinds).toEqual([]);
    expect(run(['ok'], ack.state).kinds).toEqual(['resolved']);
  });

  it('snooze silences reminders until it expires, then says so once', () => {
    const fired = run(['firing']).state;
    const snoozed = applyAction(fired, { kind: 'snooze', hours: 1, user: 'U2' }, fired.episode, new Date(T0 + 5 * MIN));
    if (!snoozed.ok) throw new Error(snoozed.problem);
    expect(snoozed.state.snoozedUntil).toBe(new Date(T0 + 65 * MIN).toISOString());
    // 5-minute ticks from T0+10min: the snooze ends at T0+65min.
    let state = snoozed.state;
    const kinds: string[] = [];
    for (let m = 10; m <= 120; m += 5) {
      const at = new Date(T0 + m * MIN);
      const t = applyVerdict(state, verdict('firing', 0), { slot: at, now: at }, policy);
      state = t.state;
      kinds.push(...t.events.map((e) => `${m}:${e.kind}`));
    }
    expect(kinds).toEqual(['65:snooze-ended']);
    expect(state.snoozedUntil).toBeNull();
  });

  it('buttons on an old or resolved message do nothing', () => {
    const { state } = run(['firing', 'ok']);
    expect(applyAction(state, { kind: 'acknowledge', user: 'U1' }, 1, new Date(T0)).ok).toBe(false);
    const refired = run(['firing'], state).state;
    expect(applyAction(refired, { kind: 'acknowledge', user: 'U1' }, 1, new Date(T0)).ok).toBe(false);
    expect(applyAction(refired, { kind: 'acknowledge', user: 'U1' }, 2, new Date(T0)).ok).toBe(true);
  });

  it('a second acknowledge is refused', () => {
    const fired = run(['firing']).state;
    const first = applyAction(fired, { kind: 'acknowledge', user: 'U1' }, 1, new Date(T0));
    if (!first.ok) throw new Error('first');
    expect(applyAction(first.state, { kind: 'acknowledge', user: 'U2' }, 1, new Date(T0))).toMatchObject({ ok: false });
  });

  it('a firing alert whose run breaks resolves, and keeps when it began', () => {
    const { events } = run(['firing', 'pending']);
    expect(events.map((e) => e.kind)).toEqual(['fired', 'resolved']);
    expect(events[1]!.state.since).toBe(new Date(T0).toISOString());
  });
});
