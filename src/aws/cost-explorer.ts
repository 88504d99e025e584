import {
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type CostExplorerClient,
  type Expression,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import type { Logger } from '../lib/logger.js';
import { withCallDeadline, type CallOptions, type SdkCallOptions } from './deadlines.js';
import { awsErrorName, isAwsError, toUserFacingError } from './errors.js';
import type { CostDay, CostPort, CostQuery, CostResult, ForecastResult } from './ports.js';

/** Cost Explorer's SERVICE value for S3. */
export const S3_SERVICE_NAME = 'Amazon Simple Storage Service';

const S3_ONLY: Expression = { Dimensions: { Key: 'SERVICE', Values: [S3_SERVICE_NAME] } };

/**
 * The answers that mean "no forecast can be made here": too little history, or an endpoint
 * (an emulator) that does not implement the operation.
 */
const NO_FORECAST = ['DataUnavailableException', 'NotImplemented', 'NotImplementedException', 'UnknownOperationException', 'InvalidAction'];

/** Reads S3 cost through Cost Explorer, following every page (each page is billed). */
export class CostExplorerCosts implements CostPort {
  constructor(
    private readonly costExplorer: CostExplorerClient,
    private readonly logger: Logger,
    private readonly now: () => Date,
    /** From a payer account: only these linked accounts' cost; absent: the whole account's. */
    private readonly linkedAccounts?: string[],
  ) {}

  /** S3 only, and only the linked accounts asked for. */
  private get filter(): Expression {
    if (!this.linkedAccounts) return S3_ONLY;
    return { And: [S3_ONLY, { Dimensions: { Key: 'LINKED_ACCOUNT', Values: this.linkedAccounts } }] };
  }

  /** Daily unblended S3 cost for the query's days, grouped as asked. */
  async getDailyCost(query: CostQuery, options: CallOptions = {}): Promise<CostResult> {
    const byDate = new Map<string, { total: number | null; groups: Record<string, number> }>();
    let currency: string | undefined;
    let token: string | undefined;
    const target = { service: 'Cost Explorer', operation: 'GetCostAndUsage' } as const;
    await withCallDeadline(target, options, async (sdk) => {
      do {
        const page = await this.costExplorer.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: query.start, End: query.end },
            Granularity: 'DAILY',
            Metrics: ['UnblendedCost'],
            Filter: this.filter,
            GroupBy: [{ Type: query.groupBy.type, Key: query.groupBy.key }],
            NextPageToken: token,
          }),
          sdk,
        );
        for (const result of page.ResultsByTime ?? []) currency = mergeDay(byDate, result) ?? currency;
        token = page.NextPageToken || undefined;
      } while (token);
    }, (error) => toUserFacingError(error, target));
    const days: CostDay[] = [...byDate.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, day]) => ({
        date,
        total: day.total ?? Object.values(day.groups).reduce((sum, amount) => sum + amount, 0),
        groups: day.groups,
      }));
    return { days, currency: currency ?? 'USD', fetchedAt: this.now() };
  }

  /** Cost Explorer's month-end forecast for S3, or `null` where it has none (and why is logged). */
  async getForecast(range: { start: string; end: string }, options: CallOptions = {}): Promise<ForecastResult | null> {
    const target = { service: 'Cost Explorer', operation: 'GetCostForecast' } as const;
    return withCallDeadline(target, options, (sdk) => this.readForecast(range, sdk), (error) => toUserFacingError(error, target));
  }

  private async readForecast(range: { start: string; end: string }, sdk: SdkCallOptions): Promise<ForecastResult | null> {
    try {
      const out = await this.costExplorer.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: range.start, End: range.end },
          Metric: 'UNBLENDED_COST',
          Granularity: 'MONTHLY',
          Filter: this.filter,
        }),
        sdk,
      );
      const amount = Number(out.Total?.Amount);
      if (!Number.isFinite(amount)) {
        this.logger.info({ range }, 'Cost Explorer answered no forecast amount; the report projects from the run rate');
        return null;
      }
      return { amount, currency: out.Total?.Unit ?? 'USD', fetchedAt: this.now() };
    } catch (error) {
      if (isAwsError(error, ...NO_FORECAST) || isUnimplemented(error)) {
        this.logger.info({ range, reason: awsErrorName(error) || String(error) }, 'Cost Explorer has no forecast; the report projects from the run rate');
        return null;
      }
      throw error;
    }
  }
}

/** Adds one result-by-time to its day (a grouped day can span pages); returns its currency. */
function mergeDay(byDate: Map<string, { total: number | null; groups: Record<string, number> }>, result: ResultByTime): string | undefined {
  const date = result.TimePeriod?.Start;
  if (!date) return undefined;
  const day = byDate.get(date) ?? { total: null, groups: {} };
  byDate.set(date, day);
  let currency: string | undefined;
  const total = result.Total?.UnblendedCost;
  if (total?.Amount !== undefined) {
    day.total = (day.total ?? 0) + Number(total.Amount);
    currency = total.Unit ?? currency;
  }
  for (const group of result.Groups ?? []) {
    const key = (group.Keys ?? []).join('|');
    const amount = group.Metrics?.UnblendedCost;
    if (amount?.Amount === undefined) continue;
    day.groups[key] = (day.groups[key] ?? 0) + Number(amount.Amount);
    currency = amount.Unit ?? currency;
  }
  return currency;
}

/**
 * An endpoint without the operation (an emulator) answers 404/501, or an error page that is not
 * Cost Explorer's JSON at all, which the SDK fails to parse.
 */
function isUnimplemented(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === 404 || status === 501 || awsErrorName(error) === 'SyntaxError';
}
