import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/aws/ports.js';
import { fileConfigSchema, type BucketConfig } from '../../../src/config/schema.js';
import { costBudgetRule } from '../../../src/alerts/rules/cost-budget.js';
import { errorRateRule } from '../../../src/alerts/rules/error-rate.js';
import { latencyRule } from '../../../src/alerts/rules/latency.js';
import { noRequestMetricsRule } from '../../../src/alerts/rules/no-request-metrics.js';
import type { BucketRule, RequestMetricNeed } from '../../../src/alerts/rules/rule.js';
import { serverErrorsRule } from '../../../src/alerts/rules/server-errors.js';
import { sizeQuotaRule } from '../../../src/alerts/rules/size-quota.js';
import type { CostsFigures } from '../../../src/reports/costs.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';

const END = new Date('2026-03-10T12:00:00Z');
const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', quota: 1000 }], budget: { monthlyUsd: 100 } });
const bucket = config.buckets[0]!;

/** Per-period values for a metric, newest last, ending at END. */
function series(periodSeconds: number, values: (number | null)[]): MetricPoint[] {
  return values.flatMap((v, i) => (v === null ? [] : [{ timestamp: new Date(END.getTime() - (values.length - i) * periodSeconds * 1000), value: v }]));
}

function judge<S>(rule: BucketRule<S>, data: Record<string, MetricPoint[]>, extra: { storage?: MetricPoint[]; configured?: boolean | null; bucket?: BucketConfig } = {}) {
  const b = extra.bucket ?? bucket;
  const settings = rule.settings(config, b)!;
  return rule.evaluate({
    bucket: b,
    settings,
    end: END,
    requestPoints: (need: RequestMetricNeed) => data[need.metric] ?? [],
    storageBytes: extra.storage ?? [],
    requestMetricsConfigured: 'configured' in extra ? (extra.configured ?? null) : true,
  });
}

describe('error-rate (10 % over 5 min, at least 20 requests)', () => {
  const at = (requests: number, errors: number) => ({ AllRequests: series(300, [requests]), '4xxErrors': series(300, [errors]), '5xxErrors': series(300, [0]) });
  it('fires above the threshold', () => expect(judge(errorRateRule, at(100, 11)).status).toBe('firing'));
  it('stays ok at the threshold', () => expect(judge(errorRateRule, at(100, 10)).status).toBe('ok'));
  it('stays ok below the threshold', () => expect(judge(errorRateRule, at(100, 2)).status).toBe('ok'));
  it('stays ok with too few requests to judge, however many fail', () => expect(judge(errorRateRule, at(19, 19)).status).toBe('ok'));
  it('reads missing data as not breaching', () => {
    const v = judge(errorRateRule, {});
    expect(v).toMatchObject({ status: 'ok', value: null, hasData: false });
  });
  it('says the value and the threshold', () => expect(alertFindingLine(judge(errorRateRule, at(100, 15)).finding)).toContain('15.0%'));
});

describe('server-errors (above 5 per 5 min in 2 consecutive periods)', () => {
  const at = (...values: (number | null)[]) => ({ '5xxErrors': series(300, values) });
  it('fires when two periods in a row are above', () => {
    const v = judge(serverErrorsRule, at(0, 6, 9));
    expect(v.status).toBe('firing');
    expect(v.breachingSince).toEqual(new Date(END.getTime() - 600_000));
  });
  it('is pending after one period above', () => expect(judge(serverErrorsRule, at(0, 0, 9)).status).toBe('pending'));
  it('stays ok at the threshold', () => expect(judge(serverErrorsRule, at(5, 5, 5)).status).toBe('ok'));
  it('stays ok below', () => expect(judge(serverErrorsRule, at(1, 2, 3)).status).toBe('ok'));
  it('resets on a period below in between', () => expect(judge(serverErrorsRule, at(9, 1, 9)).status).toBe('pending'));
  it('reads a missing period as not breaching', () => expect(judge(serverErrorsRule, at(9, 9, null)).status).toBe('ok'));
  it('with no data at all is ok', () => expect(judge(serverErrorsRule, {})).toMatchObject({ status: 'ok', hasData: false }));
});

describe('latency (average above 5,000 ms for 5 minutes)', () => {
  const at = (...values: (number | null)[]) => ({ TotalRequestLatency: series(60, values) });
  it('fires after five minutes above', () => expect(judge(latencyRule, at(6000, 6000, 6000, 6000, 6000)).status).toBe('firing'));
  it('is pending for fewer minutes', () => expect(judge(latencyRule, at(100, 6000, 6000, 6000, 6000)).status).toBe('pending'));
  it('stays ok at the threshold', () => expect(judge(latencyRule, at(5000, 5000, 5000, 5000, 5000)).status).toBe('ok'));
  it('stays ok below', () => expect(judge(latencyRule, at(10, 20, 30, 40, 50)).status).toBe('ok'));
  it('reads missing minutes as not breaching', () => expect(judge(latencyRule, at(6000, 6000, 6000, 6000, null)).status).toBe('ok'));
});

describe('size-quota (above 80 % of the quota)', () => {
  const size = (bytes: number) => ({ storage: [{ timestamp: new Date('2026-03-10T00:00:00Z'), value: bytes }] });
  it('fires above', () => expect(judge(sizeQuotaRule, {}, size(801)).status).toBe('firing'));
  it('stays ok at', () => expect(judge(sizeQuotaRule, {}, size(800)).status).toBe('ok'));
  it('stays ok below', () => expect(judge(sizeQuotaRule, {}, size(10)).status).toBe('ok'));
  it('stays ok with no storage metrics yet', () => expect(judge(sizeQuotaRule, {}, {})).toMatchObject({ status: 'ok', hasData: false }));
  it('does not apply without a quota', () => expect(sizeQuotaRule.settings(config, { ...bucket, quota: undefined })).toBeNull());
});

describe('cost-budget (forecast above 100 % or month to date above 80 %)', () => {
  const costs = (monthToDate: number, forecast: number): CostsFigures => ({
    currency: 'USD',
    month: '2026-03',
    monthToDate,
    lastMonthSameDays: 0,
    monthEnd: { amount: forecast, source: 'forecast' },
    budget: null,
    daily: [],
    split: { storage: 0, requests: 0, transfer: 0, other: 0 },
    perBucket: [],
    fetchedAt: END,
  });
  const settings = costBudgetRule.settings(config)!;
  it('fires when the forecast is above the budget', () => expect(costBudgetRule.evaluate(costs(10, 101), settings).status).toBe('firing'));
  it('fires when month to date is above 80 %', () => expect(costBudgetRule.evaluate(costs(81, 90), settings).status).toBe('firing'));
  it('stays ok at both thresholds', () => expect(costBudgetRule.evaluate(costs(80, 100), settings).status).toBe('ok'));
  it('stays ok below', () => expect(costBudgetRule.evaluate(costs(5, 20), settings).status).toBe('ok'));
  it('with no spend yet (missing data) is ok', () => expect(costBudgetRule.evaluate(costs(0, 0), settings).status).toBe('ok'));
  it('does not apply without a budget', () => expect(costBudgetRule.settings({ ...config, budget: {} })).toBeNull());
});

describe('no-request-metrics', () => {
  it('fires once request metrics are known to be off', () => expect(judge(noRequestMetricsRule, {}, { configured: false }).status).toBe('firing'));
  it('is ok when they are on', () => expect(judge(noRequestMetricsRule, {}, { configured: true }).status).toBe('ok'));
  it('is ok when the configuration could not be read (missing data)', () => expect(judge(noRequestMetricsRule, {}, { configured: null })).toMatchObject({ status: 'ok', hasData: false }));
  it('never repeats', () => expect(noRequestMetricsRule.repeats).toBe(false));
  it('does not apply when no rule reads request metrics', () => {
    const quiet = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', thresholds: { 'error-rate': false, 'server-errors': false, latency: false } }] });
    expect(noRequestMetricsRule.settings(quiet, quiet.buckets[0]!)).toBeNull();
  });
});

describe('per-bucket thresholds', () => {
  it('a bucket override replaces the fleet default', () => {
    const c = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', thresholds: { 'server-errors': { count: 100 } } }] });
    const v = serverErrorsRule.evaluate({
      bucket: c.buckets[0]!,
      settings: serverErrorsRule.settings(c, c.buckets[0]!)!,
      end: END,
      requestPoints: () => series(300, [50, 50]),
      storageBytes: [],
      requestMetricsConfigured: true,
    });
    expect(v.status).toBe('ok');
  });
});
