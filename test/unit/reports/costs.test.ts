import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../src/lib/errors.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildCosts, computeCosts, costCategory, gatherCosts, monthDays } from '../../../src/reports/costs.js';
import { ARCHIVE_BUCKET, NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';
import { fakeCosts, USAGE_PER_DAY, usageDays } from '../../fixtures/reports/costs.js';
import { fakePorts } from '../../fixtures/reports/ports.js';

const config = { buckets: [SURGICAL_BUCKET, ARCHIVE_BUCKET], budget: { monthlyUsd: 200 } };

describe('costCategory', () => {
  it('sorts usage types into storage, requests, transfer and other', () => {
    expect(costCategory('TimedStorage-ByteHrs')).toBe('storage');
    expect(costCategory('USE2-TimedStorage-GlacierByteHrs')).toBe('storage');
    expect(costCategory('Requests-Tier1')).toBe('requests');
    expect(costCategory('DataTransfer-Out-Bytes')).toBe('transfer');
    expect(costCategory('USE1-USW2-AWS-Out-Bytes')).toBe('transfer');
    expect(costCategory('Monitoring-Automation-INT')).toBe('other');
  });
});

describe('gatherCosts', () => {
  it('makes at most two Cost Explorer queries and one forecast, concurrently', async () => {
    const costs = fakeCosts({ until: '2026-11-26', forecast: 30, tagShares: { 'surgical-docs': 0.9 } });
    await gatherCosts(fakePorts({ costs }), config, NOW, 14);
    expect(costs.queries).toEqual([
      { start: '2026-10-01', end: '2026-11-27', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } },
      { start: '2026-11-01', end: '2026-11-27', groupBy: { type: 'TAG', key: 'bucket' } },
    ]);
    expect(costs.forecastRanges).toEqual([{ start: '2026-11-26', end: '2026-12-01' }]);
  });

  it('makes no tag query when no bucket has a cost tag, and reaches back for a long --days', async () => {
    const costs = fakeCosts({ until: '2026-11-26' });
    await gatherCosts(fakePorts({ costs }), { buckets: [ARCHIVE_BUCKET], budget: {} }, NOW, 90);
    expect(costs.queries).toEqual([{ start: '2026-08-29', end: '2026-11-27', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } }]);
  });

  it('falls back to the run rate when the forecast fails, and says why', async () => {
    const costs = fakeCosts({ until: '2026-11-26', forecastError: new UserFacingError('aws_access_denied', 'Access denied: the bot\'s role needs ce:GetCostForecast.') });
    const raw = await gatherCosts(fakePorts({ costs }), config, NOW);
    expect(raw.forecast).toBeNull();
    expect(raw.forecastProblem).toBe('Access denied: the bot\'s role needs ce:GetCostForecast.');
    expect(renderText(buildCosts(raw).message)).toContain('forecast unavailable: Access denied');
  });
});

describe('computeCosts and buildCosts', () => {
  const perDay = (d: string) => usageDays(d, '2099-01-01', d)[0]?.total ?? 0;
  const sumDays = (from: string, to: string) => usageDays(from, to, '2099-01-01').reduce((s, d) => s + d.total, 0);

  it('computes month to date, the same days of last month, and the forecast month end', async () => {
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2026-11-26', forecast: 26.5, tagShares: { 'surgical-docs': 0.9 } }) }), config, NOW);
    const f = computeCosts(raw);
    expect(f.monthToDate).toBeCloseTo(sumDays('2026-11-01', '2026-11-27'), 6);
    expect(f.lastMonthSameDays).toBeCloseTo(sumDays('2026-10-01', '2026-10-27'), 6);
    expect(f.monthEnd).toEqual({ amount: expect.closeTo(sumDays('2026-11-01', '2026-11-26') + 26.5, 6), source: 'forecast' });
    expect(f.budget?.usedRatio).toBeCloseTo(f.monthToDate / 200, 6);
    expect(f.daily).toHaveLength(14);
    expect(f.daily.at(-1)).toEqual({ date: '2026-11-26', total: expect.closeTo(perDay('2026-11-26'), 6) });
    expect(f.fetchedAt.toISOString()).toBe('2026-11-26T12:04:00.000Z');
    const split = Object.values(f.split).reduce((s, v) => s + v, 0);
    expect(split).toBeCloseTo(f.monthToDate, 6);
    expect(f.split.storage / split).toBeCloseTo((USAGE_PER_DAY['TimedStorage-ByteHrs']! + USAGE_PER_DAY['TimedStorage-INT-FA-ByteHrs']!) / Object.values(USAGE_PER_DAY).reduce((s, v) => s + v, 0), 2);
    expect(f.perBucket).toEqual([{ bucket: { name: SURGICAL_BUCKET.name, alias: 'surgical-docs' }, tag: 'bucket=surgical-docs', monthToDate: expect.any(Number) }]);
    expect(f.perBucket[0]?.monthToDate).toBeGreaterThan(0.85 * f.monthToDate);
  });

  it('projects month end from the daily run rate without a forecast, and says so', async () => {
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2026-11-26', forecast: null }) }), config, NOW);
    const f = computeCosts(raw);
    const before = sumDays('2026-11-01', '2026-11-26');
    expect(f.monthEnd).toEqual({ amount: expect.closeTo(before + (before / 25) * 5, 6), source: 'run-rate' });
    expect(renderText(buildCosts(raw).message)).toContain('(projected from the daily run rate; Cost Explorer has no forecast)');
  });

  it('projects from last month\'s last week on the first of the month', async () => {
    const first = new Date('2026-12-01T08:00:00Z');
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2026-12-01', forecast: null }) }), config, first);
    const f = computeCosts(raw);
    expect(f.monthEnd.amount).toBeCloseTo((sumDays('2026-11-24', '2026-12-01') / 7) * 31, 6);
    expect(monthDays(first)).toMatchObject({ monthStart: '2026-12-01', lastMonthStart: '2026-11-01', nextMonthStart: '2027-01-01', daysInMonth: 31 });
  });

  it('shows the figures, budget, sparkline, split, per-bucket cost and their age', async () => {
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2026-11-26', forecast: 26.5, tagShares: { 'surgical-docs': 0.9 } }) }), config, NOW);
    const { message } = buildCosts(raw);
    const text = renderText(message);
    expect(text).toContain('S3 costs: November 2026');
    expect(text).toMatch(/Month to date:\s+\$\d+\.\d\d/);
    expect(text).toMatch(/Budget:\s+\d+% of \$200\.00 used; forecast \d+%/);
    expect(text).toMatch(/Daily, last 14 days: [▁▂▃▄▅▆▇█]{14} \$/);
    expect(text).toMatch(/Storage\s+\$\d+\.\d\d\s+\d+%/);
    expect(text).toMatch(/surgical-docs\s+bucket=surgical-docs\s+\$\d+\.\d\d/);
    expect(text).toContain('Figures from 2026-11-26 12:04 UTC (4 h ago)');
    expect(message.summary).toMatch(/^S3 costs November 2026: \$\d+\.\d\d to date, \d+% of budget, month-end \$\d+\.\d\d$/);
  });

  it('warns when the forecast is over budget', async () => {
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2026-11-26', forecast: 500 }) }), config, NOW);
    expect(renderText(buildCosts(raw).message)).toContain('✗ The forecast is over the monthly budget of $200.00');
  });

  it('says there is no cost data yet for a new account', async () => {
    const raw = await gatherCosts(fakePorts({ costs: fakeCosts({ until: '2000-01-01', forecast: null }) }), { buckets: [ARCHIVE_BUCKET], budget: {} }, NOW);
    const text = renderText(buildCosts(raw).message);
    expect(text).toContain('no cost data yet');
    expect(text).toMatch(/Month to date:\s+\$0\.00/);
  });
});
