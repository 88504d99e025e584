// Reading alert state back from Redis: today's shape as written, and the shape of the version
// before findings (a worded `text`) with its line kept as a stored-line finding.
import { describe, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { readStoredEvent, readStoredState } from '../../../src/alerts/stored-state.js';
import type { AlertState } from '../../../src/alerts/types.js';

const AT = new Date('2026-03-02T10:00:00Z');
const today: AlertState = {
  ...initialState({ rule: 'latency', bucket: 'docs' }, 'warning', AT),
  status: 'firing',
  version: 3,
  episode: 1,
  finding: { rule: 'latency', averageMs: 6_200, thresholdMs: 5_000, forMinutes: 5 },
};
/** The same state as the version before findings wrote it. */
function earlier(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { finding: _, ...rest } = today;
  return { ...rest, text, ...extra };
}

describe('readStoredState', () => {
  it("reads today's shape as it was written", () => {
    expect(readStoredState(JSON.stringify(today))).toEqual(today);
  });

  it("reads an earlier version's state with its line as a stored-line finding, and no text", () => {
    const line = 'Average latency **6.2 s** (threshold 5.0 s for 5 min)';
    expect(readStoredState(JSON.stringify(earlier(line)))).toEqual({ ...today, finding: { rule: 'stored-line', text: line } });
  });

  it('reads an earlier state that never had a verdict (empty text) as one with no finding yet', () => {
    expect(readStoredState(JSON.stringify(earlier(''))).finding).toBeNull();
  });

  it('takes the line over a finding when an earlier version wrote last (it keeps the finding it does not know, stale)', () => {
    const stale = { rule: 'latency', averageMs: 9_000, thresholdMs: 5_000, forMinutes: 5 };
    expect(readStoredState(JSON.stringify(earlier('Average latency **5.1 s** (threshold 5.0 s for 5 min)', { finding: stale }))).finding).toEqual({
      rule: 'stored-line',
      text: 'Average latency **5.1 s** (threshold 5.0 s for 5 min)',
    });
  });
});

describe('readStoredEvent', () => {
  it("reads an earlier version's queued event with its state's line kept", () => {
    const event = { kind: 'reminder', version: 3, at: AT.toISOString(), state: earlier('Average latency **6.2 s** (threshold 5.0 s for 5 min)') };
    const read = readStoredEvent(JSON.stringify(event));
    expect(read).toEqual({ ...event, state: { ...today, finding: { rule: 'stored-line', text: 'Average latency **6.2 s** (threshold 5.0 s for 5 min)' } } });
    expect(read.state).not.toHaveProperty('text');
  });

  it("reads today's event as written", () => {
    const event = { kind: 'fired' as const, version: 3, at: AT.toISOString(), user: 'U0ACK', state: today };
    expect(readStoredEvent(JSON.stringify(event))).toEqual(event);
  });
});
