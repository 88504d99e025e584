import { describe, expect, it } from 'vitest';
import { fleetCosts } from '../../../src/aws/fleet-costs.js';
import type { CostPort, CostResult } from '../../../src/aws/ports.js';

const OTHER = '222222222222';
const PAYER = '111111111111';
const accounts = [{ id: OTHER, roleArn: `arn:aws:iam::${OTHER}:role/read`, sessionName: 's3-chatops' }];
const query = { start: '2026-12-01', end: '2026-12-03', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } } as const;

function port(result: Omit<CostResult, 'fetchedAt'> & { fetchedAt?: Date }, forecast: number | null): CostPort {
  return {
    getDailyCost: async () => ({ fetchedAt: new Date('2026-12-03T10:00:00Z'), ...result }),
    getForecast: async () => (forecast === null ? null : { amount: forecast, currency: 'USD', fetchedAt: new Date('2026-12-03T10:00:00Z') }),
  };
}

describe('fleetCosts', () => {
  it('sums each account\'s own Cost Explorer day by day and group by group', async () => {
    const asked: (string | undefined)[] = [];
    const costs = fleetCosts({
      buckets: [{}, { account: OTHER }],
      accounts,
      costsOf: (account) => {
        asked.push(account);
        return account === OTHER
          ? port({ days: [{ date: '2026-12-01', total: 2, groups: { Storage: 2 } }, { date: '2026-12-02', total: 1, groups: { Requests: 1 } }], currency: 'USD', fetchedAt: new Date('2026-12-03T08:00:00Z') }, 30)
          : port({ days: [{ date: '2026-12-01', total: 5, groups: { Storage: 4, Requests: 1 } }], currency: 'USD' }, 70);
      },
    });
    expect(asked).toEqual([undefined, OTHER]);
    const result = await costs.getDailyCost(query);
    expect(result.days).toEqual([
      { date: '2026-12-01', total: 7, groups: { Storage: 6, Requests: 1 } },
      { date: '2026-12-02', total: 1, groups: { Requests: 1 } },
    ]);
    // As old as the oldest account's figures.
    expect(result.fetchedAt.toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect((await costs.getForecast({ start: '2026-12-01', end: '2027-01-01' }))?.amount).toBe(100);
  });

  it('has no forecast when one account has none', async () => {
    const costs = fleetCosts({ buckets: [{}, { account: OTHER }], accounts, costsOf: (account) => port({ days: [], currency: 'USD' }, account ? null : 5) });
    expect(await costs.getForecast({ start: '2026-12-01', end: '2027-01-01' })).toBeNull();
  });

  it('asks only the payer account, for the listed linked accounts, when one is configured', () => {
    const asked: [string | undefined, string[] | undefined][] = [];
    fleetCosts({
      buckets: [{}, { account: OTHER }],
      accounts: [...accounts, { id: PAYER, sessionName: 's3-chatops' }],
      payerAccount: PAYER,
      costsOf: (account, linked) => {
        asked.push([account, linked]);
        return port({ days: [], currency: 'USD' }, null);
      },
    });
    // The payer listed without a role is the bot's own account.
    expect(asked).toEqual([[undefined, [OTHER, PAYER]]]);
  });

  it('asks once when every bucket is in the bot\'s own account', () => {
    const asked: (string | undefined)[] = [];
    fleetCosts({ buckets: [{}, {}], accounts: [], costsOf: (account) => (asked.push(account), port({ days: [], currency: 'USD' }, null)) });
    expect(asked).toEqual([undefined]);
  });
});
