import { ruleSetting, type FleetRule } from './rule.js';

export interface CostBudgetSettings {
  budgetUsd: number;
  forecastRatio: number;
  monthToDateRatio: number;
}

/** `cost-budget`: the month-end forecast or month-to-date spend against the monthly budget. */
export const costBudgetRule: FleetRule<CostBudgetSettings> = {
  name: 'cost-budget',
  scope: 'fleet',
  severity: 'warning',
  repeats: true,
  settings(config) {
    const setting = ruleSetting(config, undefined, 'cost-budget');
    const budgetUsd = config.budget.monthlyUsd;
    if (!setting || budgetUsd === undefined) return null;
    return { budgetUsd, ...setting };
  },
  evaluate(costs, s) {
    const forecastRatio = costs.monthEnd.amount / s.budgetUsd;
    const usedRatio = costs.monthToDate / s.budgetUsd;
    const overForecast = forecastRatio > s.forecastRatio;
    const overSpent = usedRatio > s.monthToDateRatio;
    const breaching = overForecast || overSpent;
    return {
      status: breaching ? 'firing' : 'ok',
      breachingSince: breaching ? costs.fetchedAt : null,
      value: overSpent && !overForecast ? usedRatio : forecastRatio,
      threshold: overSpent && !overForecast ? s.monthToDateRatio : s.forecastRatio,
      finding: {
        rule: 'cost-budget',
        currency: costs.currency,
        monthToDate: costs.monthToDate,
        monthEnd: costs.monthEnd.amount,
        monthEndSource: costs.monthEnd.source,
        budget: s.budgetUsd,
        monthToDateThreshold: s.monthToDateRatio,
        forecastThreshold: s.forecastRatio,
      },
      recent: costs.daily.map((d) => d.total),
      hasData: true,
    };
  },
};
