/**
 * S3 cost over every account of the fleet: each account's own Cost Explorer, summed day by day;
 * or, with a payer account, one Cost Explorer read there for the listed linked accounts.
 */
import type { AccountConfig } from '../config/schema.js';
import type { CallOptions, CostPort, CostQuery, CostResult, ForecastResult } from './ports.js';

export interface FleetCostsOptions {
  buckets: readonly { account?: string | undefined }[];
  accounts: readonly AccountConfig[];
  payerAccount?: string | undefined;
  /** The (cached) cost port of one account (`undefined`: the bot's own), filtered to `linkedAccounts` when given. */
  costsOf: (account: string | undefined, linkedAccounts?: string[]) => CostPort;
}

/** One cost port over the fleet's accounts. */
export function fleetCosts(options: FleetCostsOptions): CostPort {
  const roleOf = (id: string | undefined) => options.accounts.find((a) => a.id === id)?.roleArn;
  if (options.payerAccount !== undefined) {
    // An entry without a role is the bot's own account: Cost Explorer is then asked with its own credentials.
    const payer = roleOf(options.payerAccount) ? options.payerAccount : undefined;
    return options.costsOf(payer, options.accounts.map((a) => a.id));
  }
  // Buckets of the bot's own account (by no account, or by its role-less entry) are costed once, with its own credentials.
  const accounts = [...new Set(options.buckets.map((b) => (roleOf(b.account) ? b.account : undefined)))];
  if (accounts.length <= 1) return options.costsOf(accounts[0]);
  const ports = accounts.map((account) => options.costsOf(account));
  return {
    async getDailyCost(query: CostQuery, callOptions?: CallOptions): Promise<CostResult> {
      return sumDays(await Promise.all(ports.map((p) => p.getDailyCost(query, callOptions))));
    },
    async getForecast(range, callOptions?: CallOptions): Promise<ForecastResult | null> {
      const forecasts = await Promise.all(ports.map((p) => p.getForecast(range, callOptions)));
      // One account without a forecast leaves the fleet without one: the report projects from the run rate.
      if (forecasts.some((f) => f === null)) return null;
      const known = forecasts as ForecastResult[];
      return { amount: known.reduce((sum, f) => sum + f.amount, 0), currency: known[0]!.currency, fetchedAt: oldest(known.map((f) => f.fetchedAt)) };
    },
  };
}

/** The accounts' daily figures added up, day by day and group by group. */
export function sumDays(results: CostResult[]): CostResult {
  const byDate = new Map<string, { total: number; groups: Record<string, number> }>();
  for (const result of results) {
    for (const day of result.days) {
      const sum = byDate.get(day.date) ?? { total: 0, groups: {} };
      sum.total += day.total;
      for (const [key, amount] of Object.entries(day.groups)) sum.groups[key] = (sum.groups[key] ?? 0) + amount;
      byDate.set(day.date, sum);
    }
  }
  return {
    days: [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, day]) => ({ date, ...day })),
    currency: results[0]?.currency ?? 'USD',
    // The figures are as old as the oldest account's.
    fetchedAt: oldest(results.map((r) => r.fetchedAt)),
  };
}

function oldest(dates: Date[]): Date {
  return new Date(Math.min(...dates.map((d) => d.getTime())));
}
