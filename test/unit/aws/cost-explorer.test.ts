import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { describe, expect, it } from 'vitest';
import { CostExplorerCosts } from '../../../src/aws/cost-explorer.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { createLogger, silentLogger } from '../../../src/lib/logger.js';
import { stubClient } from './stub-client.js';

const client = () => new CostExplorerClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const now = new Date('2026-03-10T12:00:00Z');

describe('CostExplorerCosts', () => {
  it('reads the forecast amount for S3, monthly unblended', async () => {
    const costExplorer = client();
    const calls = stubClient(costExplorer, () => ({ Total: { Amount: '42.125', Unit: 'USD' } }));
    const forecast = await new CostExplorerCosts(costExplorer, silentLogger(), () => now).getForecast({ start: '2026-03-10', end: '2026-04-01' });
    expect(forecast).toEqual({ amount: 42.125, currency: 'USD', fetchedAt: now });
    expect(calls[0]!.input).toMatchObject({
      Metric: 'UNBLENDED_COST',
      Granularity: 'MONTHLY',
      TimePeriod: { Start: '2026-03-10', End: '2026-04-01' },
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } },
    });
  });

  it('answers null on DataUnavailableException and logs why', async () => {
    const costExplorer = client();
    stubClient(costExplorer, () => {
      throw Object.assign(new Error('not enough data'), { name: 'DataUnavailableException', $metadata: { httpStatusCode: 400 } });
    });
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream });
    expect(await new CostExplorerCosts(costExplorer, logger, () => now).getForecast({ start: '2026-03-10', end: '2026-04-01' })).toBeNull();
    expect(lines.join('')).toContain('DataUnavailableException');
  });

  it('throws a user-facing error naming ce:GetCostForecast when the forecast is denied', async () => {
    const costExplorer = client();
    stubClient(costExplorer, () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    });
    const error = await new CostExplorerCosts(costExplorer, silentLogger(), () => now)
      .getForecast({ start: '2026-03-10', end: '2026-04-01' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).userMessage).toContain('ce:GetCostForecast');
  });

  it('takes an ungrouped day total from Total and sorts days', async () => {
    const costExplorer = client();
    stubClient(costExplorer, () => ({
      ResultsByTime: [
        { TimePeriod: { Start: '2026-03-02', End: '2026-03-03' }, Total: { UnblendedCost: { Amount: '2', Unit: 'EUR' } }, Groups: [] },
        { TimePeriod: { Start: '2026-03-01', End: '2026-03-02' }, Total: { UnblendedCost: { Amount: '1', Unit: 'EUR' } }, Groups: [] },
      ],
    }));
    const result = await new CostExplorerCosts(costExplorer, silentLogger(), () => now).getDailyCost({
      start: '2026-03-01',
      end: '2026-03-03',
      groupBy: { type: 'TAG', key: 'bucket' },
    });
    expect(result).toEqual({
      days: [
        { date: '2026-03-01', total: 1, groups: {} },
        { date: '2026-03-02', total: 2, groups: {} },
      ],
      currency: 'EUR',
      fetchedAt: now,
    });
  });
});
