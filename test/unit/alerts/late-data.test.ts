// Request metrics reach CloudWatch minutes late: at tick time the newest minutes have no datapoint.
// These tests deliver minute datapoints the way CloudWatch does (only those older than a lag) and
// aggregate them into a rule's periods the way GetMetricData does.
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/aws/ports.js';
import { judgedWindow } from '../../../src/alerts/evaluate.js';
import { errorRateRule } from '../../../src/alerts/rules/error-rate.js';
import { latencyRule } from '../../../src/alerts/rules/latency.js';
import type { BucketRule, RequestMetricNeed } from '../../../src/alerts/rules/rule.js';
import { serverErrorsRule } from '../../../src/alerts/rules/server-errors.js';
import { applyVerdict, initialState } from '../../../src/alerts/state-machine.js';
import type { AlertEvent, AlertState } from '../../../src/alerts/types.js';
import { fileConfigSchema } from '../../../src/config/schema.js';

const MIN = 60_000;
/** A tick on a 5-minute boundary, as the default schedule `*\/5 * * * *` fires. */
const AT = Date.parse('2026-03-10T12:05:00Z');
const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] });
const bucket = config.buckets[0]!;
const DELAY = config.alerts.evaluationDelayMinutes;

/** One value per metric per minute, from `fromMs` (inclusive) to `toMs` (exclusive). */
type Minutes = Map<string, Map<number, number>>;

function minutes(fromMs: number, toMs: number, values: (minuteMs: number) => Record<string, number>): Minutes {
  const out: Minutes = new Map();
  for (let t = fromMs; t < toMs; t += MIN) {
    for (const [metric, v] of Object.entries(values(t))) {
      if (!out.has(metric)) out.set(metric, new Map());
      out.get(metric)!.set(t, v);
    }
  }
  return out;
}

/** What GetMetricData answers at `nowMs` when datapoints arrive `lagMinutes` late: arrived minutes, per period. */
function delivered(data: Minutes, nowMs: number, lagMinutes: number): (need: RequestMetricNeed) => MetricPoint[] {
  return (need) => {
    const step = need.periodSeconds * 1000;
    const byPeriod = new Map<number, number[]>();
    for (const [t, v] of data.get(need.metric) ?? []) {
      if (t + MIN > nowMs - lagMinutes * MIN) continue;
      const start = Math.floor(t / step) * step;
      byPeriod.set(start, [...(byPeriod.get(start) ?? []), v]);
    }
    return [...byPeriod.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, vs]) => ({ timestamp: new Date(start), value: need.stat === 'Average' ? vs.reduce((s, v) => s + v, 0) / vs.length : vs.reduce((s, v) => s + v, 0) }));
  };
}

function judgeAt<S>(rule: BucketRule<S>, data: Minutes, nowMs: number, lagMinutes: number, delayMinutes = DELAY) {
  const { end, settledBy } = judgedWindow(new Date(nowMs), delayMinutes);
  return rule.evaluate({
    bucket,
    settings: rule.settings(config, bucket)!,
    end,
    settledBy,
    requestPoints: delivered(data, nowMs, lagMinutes),
    storageBytes: [],
    requestMetricsConfigured: true,
  });
}

const slowMinutes = minutes(AT - 60 * MIN, AT, () => ({ TotalRequestLatency: 6_000 }));
// Per minute just enough that only a whole 5-minute period breaches: 25 requests (the minimum is 20)
// at 20 % errors, and 10 server errors (the threshold is 5); the part of a period that has arrived does not.
const failingMinutes = minutes(AT - 60 * MIN, AT, () => ({ AllRequests: 5, '4xxErrors': 1, '5xxErrors': 2 }));

describe('the newest minutes not yet in CloudWatch', () => {
  for (const lag of [1, 2, 3]) {
    it(`latency (1-minute periods, 5 in a row) fires with the newest ${lag} min absent`, () => {
      const v = judgeAt(latencyRule, slowMinutes, AT, lag);
      expect(v.status).toBe('firing');
      expect(v.value).toBe(6_000);
    });
    it(`error-rate fires with the newest ${lag} min absent`, () => {
      const v = judgeAt(errorRateRule, failingMinutes, AT, lag);
      expect(v.status).toBe('firing');
      // The whole 5-minute period is judged, not the part of it that has arrived.
      expect(v.value).toBeCloseTo(0.6, 5);
    });
    it(`server-errors fires with the newest ${lag} min absent`, () => {
      const v = judgeAt(serverErrorsRule, failingMinutes, AT, lag);
      expect(v.status).toBe('firing');
      expect(v.value).toBe(10);
    });
  }

  it('judged as of the tick itself, the same data never lets latency fire (what the delay prevents)', () => {
    const v = latencyRule.evaluate({
      bucket,
      settings: latencyRule.settings(config, bucket)!,
      end: new Date(AT),
      requestPoints: delivered(slowMinutes, AT, 2),
      storageBytes: [],
      requestMetricsConfigured: true,
    });
    expect(v.status).toBe('ok');
  });

  it('data later than the delay: the minutes still missing neither breach nor break the run', () => {
    expect(judgeAt(latencyRule, slowMinutes, AT, 6).status).toBe('firing');
    expect(judgeAt(latencyRule, slowMinutes, AT, 2, 0).status).toBe('firing');
  });

  it('a minute that arrived and does not breach still breaks the run', () => {
    const dip = minutes(AT - 60 * MIN, AT, (t) => ({ TotalRequestLatency: t === AT - 5 * MIN ? 100 : 6_000 }));
    expect(judgeAt(latencyRule, dip, AT, 1).status).toBe('pending');
  });

  it('a minute without a datapoint before one that has arrived is a gap, not late data: it breaks the run at once', () => {
    // No requests at all in two recent minutes, slow requests around them. A later minute's
    // datapoint shows these two are not on their way; as they age the verdict must not change.
    const gaps = new Set([AT - 8 * MIN, AT - 6 * MIN]);
    const sparse = minutes(AT - 60 * MIN, AT, (t): Record<string, number> => (gaps.has(t) ? {} : { TotalRequestLatency: 6_000 }));
    const v = judgeAt(latencyRule, sparse, AT, 1);
    // The run starts after the newer gap, as it will once both gaps are old: 2 periods, not 5.
    expect(v.status).toBe('pending');
    expect(v.breachingSince).toEqual(new Date(AT - 5 * MIN));
  });

  it('too few requests in an arrived period is judged, not waited for', () => {
    const quiet = minutes(AT - 60 * MIN, AT, () => ({ AllRequests: 1, '4xxErrors': 1, '5xxErrors': 0 }));
    expect(judgeAt(errorRateRule, quiet, AT, 1).status).toBe('ok');
  });
});

describe('a firing alert over ticks whose newest minutes have not arrived', () => {
  const policy = { repeatMs: 4 * 3_600_000, repeats: true };

  /** Ticks every 5 minutes from AT; each sees the data delivered up to its own lag. */
  function run(data: Minutes, lags: number[], rule: BucketRule = serverErrorsRule) {
    let state: AlertState = initialState({ rule: rule.name, bucket: bucket.name }, rule.severity, new Date(AT));
    const events: AlertEvent[] = [];
    const statuses: string[] = [];
    lags.forEach((lag, i) => {
      const now = AT + i * 5 * MIN;
      const t = applyVerdict(state, judgeAt(rule, data, now, lag), { slot: new Date(now), now: new Date(now) }, policy);
      state = t.state;
      events.push(...t.events);
      statuses.push(state.status);
    });
    return { kinds: events.map((e) => e.kind), statuses };
  }

  it('stays firing, posting once, while errors go on and the newest 1–3 minutes are missing at each tick', () => {
    const data = minutes(AT - 60 * MIN, AT + 60 * MIN, () => ({ AllRequests: 100, '4xxErrors': 0, '5xxErrors': 3 }));
    const { kinds, statuses } = run(data, [1, 3, 2, 3, 1, 2, 3, 3, 1, 2]);
    expect(kinds).toEqual(['fired']);
    expect(statuses.every((s) => s === 'firing')).toBe(true);
  });

  it('latency stays firing too, with its 1-minute periods', () => {
    const data = minutes(AT - 60 * MIN, AT + 60 * MIN, () => ({ TotalRequestLatency: 7_000 }));
    expect(run(data, [1, 3, 2, 3, 1, 2, 3, 3], latencyRule).kinds).toEqual(['fired']);
  });

  it('resolves once, when the errors stop in data that has arrived', () => {
    const stop = AT + 20 * MIN;
    const data = minutes(AT - 60 * MIN, AT + 60 * MIN, (t) => ({ AllRequests: 100, '4xxErrors': 0, '5xxErrors': t < stop ? 3 : 0 }));
    const { kinds, statuses } = run(data, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(kinds).toEqual(['fired', 'resolved']);
    expect(statuses.at(-1)).toBe('resolved');
  });

  it('resolves when no datapoint comes at all for longer than late data can be', () => {
    // Traffic (and so every request metric) stops at AT + 10 min; the alert must not fire forever.
    const data = minutes(AT - 60 * MIN, AT + 10 * MIN, () => ({ AllRequests: 100, '4xxErrors': 0, '5xxErrors': 3 }));
    const { kinds, statuses } = run(data, Array.from({ length: 8 }, () => 1));
    expect(kinds).toEqual(['fired', 'resolved']);
    // Still firing at the first ticks with nothing new, resolved once the gap is past the re-read window.
    expect(statuses.slice(0, 4)).toEqual(['firing', 'firing', 'firing', 'firing']);
  });
});
