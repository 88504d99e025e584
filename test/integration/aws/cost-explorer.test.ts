import { expect, it } from 'vitest';
import { CostExplorerCosts, S3_SERVICE_NAME } from '../../../src/aws/cost-explorer.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { injectCostResults } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { countCommands } from './command-counter.js';

/** A period no other test file asks for, so its queued results go to this file only. */
function uniquePeriod(offsetDays: number): { start: string; end: string } {
  const base = Date.UTC(2001, 0, 1) + (Math.floor(Math.random() * 5_000) + offsetDays) * 86_400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(base), end: day(base + 2 * 86_400_000) };
}

const usd = (amount: string) => ({ UnblendedCost: { Amount: amount, Unit: 'USD' } });

describeWithServices(
  'CostExplorerCosts against moto',
  () => {
    it('follows NextPageToken and merges a day split across pages', async () => {
      const { start, end } = uniquePeriod(0);
      const middle = new Date(Date.parse(start) + 86_400_000).toISOString().slice(0, 10);
      await injectCostResults([
        {
          _match: { TimePeriod: { Start: start, End: end }, NextPageToken: 'page-2' },
          ResultsByTime: [
            { TimePeriod: { Start: middle, End: end }, Total: {}, Groups: [{ Keys: ['USE1-Requests-Tier1'], Metrics: usd('0.25') }], Estimated: true },
          ],
        },
        {
          _match: { TimePeriod: { Start: start, End: end } },
          NextPageToken: 'page-2',
          ResultsByTime: [
            {
              TimePeriod: { Start: start, End: middle },
              Total: {},
              Groups: [
                { Keys: ['USE1-TimedStorage-ByteHrs'], Metrics: usd('1.50') },
                { Keys: ['USE1-Requests-Tier1'], Metrics: usd('0.20') },
              ],
              Estimated: false,
            },
            { TimePeriod: { Start: middle, End: end }, Total: {}, Groups: [{ Keys: ['USE1-TimedStorage-ByteHrs'], Metrics: usd('1.75') }], Estimated: true },
          ],
        },
      ]);
      const { costExplorer } = createTestAwsClients();
      const counter = countCommands(costExplorer);
      const fetchedAt = new Date('2026-03-01T08:00:00Z');
      const result = await new CostExplorerCosts(costExplorer, silentLogger(), () => fetchedAt).getDailyCost({
        start,
        end,
        groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' },
      });
      expect(counter.count('GetCostAndUsage')).toBe(2);
      expect(result.currency).toBe('USD');
      expect(result.fetchedAt).toEqual(fetchedAt);
      expect(result.days).toHaveLength(2);
      expect(result.days[0]!.date).toBe(start);
      expect(result.days[0]!.total).toBeCloseTo(1.7, 10);
      expect(result.days[0]!.groups).toEqual({ 'USE1-TimedStorage-ByteHrs': 1.5, 'USE1-Requests-Tier1': 0.2 });
      expect(result.days[1]!.date).toBe(middle);
      expect(result.days[1]!.total).toBeCloseTo(2.0, 10);
      expect(result.days[1]!.groups).toEqual({ 'USE1-TimedStorage-ByteHrs': 1.75, 'USE1-Requests-Tier1': 0.25 });
    });

    it('asks for S3 only, daily unblended cost, with the query grouping', async () => {
      const { start, end } = uniquePeriod(10_000);
      const { costExplorer } = createTestAwsClients();
      const sent: unknown[] = [];
      costExplorer.middlewareStack.add(
        (next) => async (args) => {
          sent.push(args.input);
          return next(args);
        },
        { step: 'initialize', name: 'recordInput' },
      );
      await new CostExplorerCosts(costExplorer, silentLogger(), () => new Date()).getDailyCost({
        start,
        end,
        groupBy: { type: 'TAG', key: 'bucket' },
      });
      expect(sent).toEqual([
        {
          TimePeriod: { Start: start, End: end },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'SERVICE', Values: [S3_SERVICE_NAME] } },
          GroupBy: [{ Type: 'TAG', Key: 'bucket' }],
          NextPageToken: undefined,
        },
      ]);
    });

    it('answers null for the forecast where the endpoint has none, and says why in the log', async () => {
      const { costExplorer } = createTestAwsClients();
      const lines: string[] = [];
      const { createLogger } = await import('../../../src/lib/logger.js');
      const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream });
      const forecast = await new CostExplorerCosts(costExplorer, logger, () => new Date()).getForecast({ start: '2026-03-10', end: '2026-04-01' });
      expect(forecast).toBeNull();
      expect(lines.join('')).toContain('no forecast');
    });
  },
  ['moto'],
);
