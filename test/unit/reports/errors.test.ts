import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/render/text/index.js';
import { buildErrors, bySlot, gatherErrors } from '../../../src/reports/errors.js';
import { bareFacts, NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { fakeMetrics, requestSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { dayOfRequests } from '../../fixtures/reports/scenarios.js';

const HOUR = 3600_000;
const gather = async (windowMs: number, facts = wellKeptFacts(), withData = true) => {
  const metrics = fakeMetrics(withData ? requestSource(SURGICAL_BUCKET.name, dayOfRequests) : () => []);
  const data = await gatherErrors(fakePorts({ facts: () => facts, metrics }), SURGICAL_BUCKET, NOW, windowMs);
  return { data, metrics };
};

describe('gatherErrors', () => {
  it.each([
    [HOUR, 60, 60],
    [24 * HOUR, 3600, 24],
    [7 * 24 * HOUR, 21_600, 28],
  ])('asks a %i ms window at a period of %i s (%i points) in one call', async (windowMs, period, points) => {
    const { data, metrics } = await gather(windowMs);
    expect(metrics.calls).toHaveLength(1);
    const [call] = metrics.calls;
    expect(call?.queries.every((q) => q.periodSeconds === period)).toBe(true);
    expect((call?.range.end.getTime() ?? 0) - (call?.range.start.getTime() ?? 0)).toBe(windowMs);
    expect(data.perPeriod.requests).toHaveLength(points);
    expect(points).toBeLessThan(1440);
  });

  it('asks every request and latency metric of the configured filter', async () => {
    const { metrics } = await gather(HOUR);
    const asked = metrics.calls[0]?.queries.map((q) => `${q.metricName}:${q.stat}`).sort();
    expect(asked).toEqual(
      [
        '4xxErrors:Sum', '5xxErrors:Sum', 'AllRequests:Sum', 'FirstByteLatency:Maximum', 'FirstByteLatency:SampleCount', 'FirstByteLatency:Sum',
        'GetRequests:Sum', 'PutRequests:Sum', 'TotalRequestLatency:Maximum', 'TotalRequestLatency:SampleCount', 'TotalRequestLatency:Sum',
      ].sort(),
    );
    expect(metrics.calls[0]?.queries.every((q) => q.dimensions.some((d) => d.name === 'FilterId' && d.value === 'EntireBucket'))).toBe(true);
  });

  it('sums counts, computes the error rate and a request-weighted latency', async () => {
    const { data } = await gather(24 * HOUR);
    const requests = Array.from({ length: 24 }, (_, i) => 1500 + Math.round(400 * Math.sin(i / 3)));
    const total = requests.reduce((s, v) => s + v, 0);
    expect(data.totals.requests).toBe(total);
    expect(data.totals.errors5xx).toBe(480 + 4);
    expect(data.totals.errorRate).toBeCloseTo((data.totals.errors4xx + data.totals.errors5xx) / total, 10);
    const weighted = requests.reduce((s, r, i) => s + r * 95 * (i === 21 || i === 22 ? 6 : 1), 0) / total;
    expect(data.latency.total?.averageMs).toBeCloseTo(weighted, 6);
    expect(data.latency.total?.maxMs).toBe(95 * 6 * 9);
    expect(data.requestMetrics).toBe('enabled');
  });

  it('places points in their periods, leaving gaps where there are none', () => {
    const start = new Date('2026-11-26T00:00:00Z');
    const series = { id: 'x', points: [{ timestamp: new Date('2026-11-26T01:00:00Z'), value: 5 }, { timestamp: new Date('2026-11-26T03:00:00Z'), value: 7 }] };
    expect(bySlot(series, start, 3600, 4)).toEqual([null, 5, null, 7]);
  });
});

describe('buildErrors', () => {
  it('shows counts, rates, latency and a sparkline per period', async () => {
    const { message } = buildErrors((await gather(24 * HOUR)).data);
    const text = renderText(message);
    expect(text).toContain('Errors and latency: surgical-docs, last 24h');
    expect(text).toMatch(/Error rate:\s+\d+\.\d%/);
    expect(text).toMatch(/5xx errors:\s+484 \(/);
    expect(text).toMatch(/Total request latency: avg \d+ ms, max 5\.1 s/);
    expect(text).toMatch(/Requests\s+[▁▂▃▄▅▆▇█]{24}/);
    expect(text).toMatch(/Error rate\s+[▁▂▃▄▅▆▇█]{24}/);
    expect(message.summary).toMatch(/^surgical-docs: \d+\.\d% errors of [\d,]+ requests in the last 24h \(4xx [\d,]+, 5xx 484\)$/);
  });

  it('says request metrics are off and gives the exact command to enable them', async () => {
    const { data } = await gather(HOUR, bareFacts(), false);
    expect(data.requestMetrics).toBe('disabled');
    const { message } = buildErrors(data);
    const text = renderText(message);
    expect(text).toContain('Request metrics are not enabled for');
    expect(text).toContain(`aws s3api put-bucket-metrics-configuration --bucket ${SURGICAL_BUCKET.name} --id EntireBucket --metrics-configuration '{"Id":"EntireBucket"}'`);
    expect(message.summary).toBe('surgical-docs: request metrics are not enabled');
  });

  it('says there were no requests when metrics are on but quiet', async () => {
    const { data } = await gather(HOUR, wellKeptFacts(), false);
    const { message } = buildErrors(data);
    expect(renderText(message)).toContain('No requests in the last 1h.');
    expect(message.summary).toBe('surgical-docs: no requests in the last 1h');
  });
});
