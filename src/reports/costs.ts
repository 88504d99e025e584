/**
 * `/s3 costs`: S3 spend from Cost Explorer. At most two Cost Explorer queries (by usage type, and
 * by the cost tag when one is configured) and the forecast; the port caches them for hours.
 */
import type { AwsPorts, CostResult, ForecastResult } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import type { Block, Field, Report, Severity } from '../message/model.js';
import { formatDate, formatMoney, formatPercent, formatRelative, formatTimestamp } from '../message/format.js';
import { code } from '../message/markup.js';
import { sparkline } from '../message/sparkline.js';
import { userMessageOf } from '../lib/errors.js';
import { addDays } from './s3-metrics.js';
import type { BucketRef } from './types.js';

export const DEFAULT_COST_DAYS = 14;

export type CostCategory = 'storage' | 'requests' | 'transfer' | 'other';

/** Sorts a Cost Explorer usage type into storage, requests, transfer or other. */
export function costCategory(usageType: string): CostCategory {
  if (/TimedStorage/i.test(usageType)) return 'storage';
  if (/Requests/i.test(usageType)) return 'requests';
  if (/DataTransfer|Bytes/i.test(usageType)) return 'transfer';
  return 'other';
}

interface CostBucket extends BucketRef {
  costTag?: { key: string; value: string };
}

/** What Cost Explorer answered, as it answered it. */
export interface CostsRaw {
  now: Date;
  days: number;
  budgetUsd: number | null;
  buckets: CostBucket[];
  usage: CostResult;
  /** Month to date grouped by the cost tag key; `null` when no bucket has a cost tag. */
  tag: { key: string; result: CostResult } | null;
  forecast: ForecastResult | null;
  /** Why the forecast could not be read, when it failed rather than having no answer. */
  forecastProblem?: string;
}

/** Month boundaries of `now`, as Cost Explorer's `YYYY-MM-DD` days (UTC). */
export function monthDays(now: Date): { today: string; tomorrow: string; monthStart: string; lastMonthStart: string; nextMonthStart: string; dayOfMonth: number; daysInMonth: number } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = (year: number, month: number, d: number): string => formatDate(new Date(Date.UTC(year, month, d)));
  return {
    today: formatDate(now),
    tomorrow: addDays(formatDate(now), 1),
    monthStart: day(y, m, 1),
    lastMonthStart: day(y, m - 1, 1),
    nextMonthStart: day(y, m + 1, 1),
    dayOfMonth: now.getUTCDate(),
    daysInMonth: new Date(Date.UTC(y, m + 1, 0)).getUTCDate(),
  };
}

/** The cost tag key most buckets use; one tag query serves them all. */
export function costTagKey(buckets: CostBucket[]): string | null {
  const counts = new Map<string, number>();
  for (const b of buckets) if (b.costTag) counts.set(b.costTag.key, (counts.get(b.costTag.key) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/** Asks Cost Explorer for daily cost by usage type, by cost tag (when configured) and the forecast, concurrently. */
export async function gatherCosts(
  ports: AwsPorts,
  config: { buckets: BucketConfig[]; budget: { monthlyUsd?: number } },
  now: Date,
  days = DEFAULT_COST_DAYS,
): Promise<CostsRaw> {
  const m = monthDays(now);
  const firstDay = addDays(m.today, -(days - 1));
  const start = firstDay < m.lastMonthStart ? firstDay : m.lastMonthStart;
  const buckets: CostBucket[] = config.buckets.map((b) => ({ name: b.name, alias: b.alias, ...(b.costTag ? { costTag: b.costTag } : {}) }));
  const tagKey = costTagKey(buckets);
  let forecastProblem: string | undefined;
  const [usage, tag, forecast] = await Promise.all([
    ports.costs.getDailyCost({ start, end: m.tomorrow, groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } }),
    tagKey === null
      ? Promise.resolve(null)
      : ports.costs.getDailyCost({ start: m.monthStart, end: m.tomorrow, groupBy: { type: 'TAG', key: tagKey } }).then((result) => ({ key: tagKey, result })),
    // A forecast that fails is replaced by the run-rate projection; the report says why.
    ports.costs.getForecast({ start: m.today, end: m.nextMonthStart }).catch((error: unknown) => {
      forecastProblem = userMessageOf(error);
      return null;
    }),
  ]);
  return {
    now,
    days,
    budgetUsd: config.budget.monthlyUsd ?? null,
    buckets,
    usage,
    tag,
    forecast,
    ...(forecastProblem ? { forecastProblem } : {}),
  };
}

export interface CostsFigures {
  currency: string;
  month: string;
  monthToDate: number;
  lastMonthSameDays: number;
  monthEnd: { amount: number; source: 'forecast' | 'run-rate' };
  budget: { monthlyUsd: number; usedRatio: number; forecastRatio: number } | null;
  daily: { date: string; total: number | null }[];
  split: Record<CostCategory, number>;
  perBucket: { bucket: BucketRef; tag: string; monthToDate: number | null }[];
  /** The oldest time among the answers used: how fresh the figures are at worst. */
  fetchedAt: Date;
  forecastProblem?: string;
}

/** Computes the figures from Cost Explorer's answers. */
export function computeCosts(raw: CostsRaw): CostsFigures {
  const m = monthDays(raw.now);
  const days = raw.usage.days;
  const sum = (from: string, to: string): number => days.filter((d) => d.date >= from && d.date < to).reduce((s, d) => s + d.total, 0);
  const monthToDate = sum(m.monthStart, m.tomorrow);
  const daysInLastMonth = new Date(Date.UTC(raw.now.getUTCFullYear(), raw.now.getUTCMonth(), 0)).getUTCDate();
  const lastMonthSameDays = sum(m.lastMonthStart, addDays(m.lastMonthStart, Math.min(m.dayOfMonth, daysInLastMonth)));
  const beforeToday = sum(m.monthStart, m.today);

  let monthEnd: CostsFigures['monthEnd'];
  if (raw.forecast) {
    // The forecast covers today to the month's end; the days before today are already known.
    monthEnd = { amount: beforeToday + raw.forecast.amount, source: 'forecast' };
  } else {
    const elapsed = m.dayOfMonth - 1;
    const rate = elapsed > 0 ? beforeToday / elapsed : sum(addDays(m.monthStart, -7), m.monthStart) / 7;
    monthEnd = { amount: beforeToday + rate * (m.daysInMonth - elapsed), source: 'run-rate' };
  }

  const split: Record<CostCategory, number> = { storage: 0, requests: 0, transfer: 0, other: 0 };
  for (const d of days) {
    if (d.date < m.monthStart) continue;
    const grouped = Object.entries(d.groups);
    for (const [usageType, amount] of grouped) split[costCategory(usageType)] += amount;
    // A day without groups still counts, as other.
    if (grouped.length === 0) split.other += d.total;
  }

  const byDate = new Map(days.map((d) => [d.date, d.total]));
  const daily = Array.from({ length: raw.days }, (_, i) => {
    const date = addDays(m.today, i - (raw.days - 1));
    return { date, total: byDate.get(date) ?? null };
  });

  const perBucket = raw.buckets
    .filter((b): b is CostBucket & { costTag: { key: string; value: string } } => b.costTag !== undefined)
    .map((b) => {
      const tagged = raw.tag && raw.tag.key === b.costTag.key;
      const group = `${b.costTag.key}$${b.costTag.value}`;
      return {
        bucket: { name: b.name, alias: b.alias },
        tag: `${b.costTag.key}=${b.costTag.value}`,
        monthToDate: tagged ? (raw.tag?.result.days ?? []).reduce((s, d) => s + (d.groups[group] ?? 0), 0) : null,
      };
    });

  const fetched = [raw.usage.fetchedAt, raw.tag?.result.fetchedAt, raw.forecast?.fetchedAt].filter((d): d is Date => d instanceof Date);
  return {
    currency: raw.usage.currency,
    month: m.monthStart.slice(0, 7),
    monthToDate,
    lastMonthSameDays,
    monthEnd,
    budget: raw.budgetUsd ? { monthlyUsd: raw.budgetUsd, usedRatio: monthToDate / raw.budgetUsd, forecastRatio: monthEnd.amount / raw.budgetUsd } : null,
    daily,
    split,
    perBucket,
    fetchedAt: new Date(Math.min(...fetched.map((d) => d.getTime()))),
    ...(raw.forecastProblem ? { forecastProblem: raw.forecastProblem } : {}),
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Builds the costs message. */
export function buildCosts(raw: CostsRaw): Report<CostsFigures> {
  const f = computeCosts(raw);
  const money = (n: number): string => formatMoney(n, f.currency);
  const ratio = f.lastMonthSameDays > 0 ? (f.monthToDate - f.lastMonthSameDays) / f.lastMonthSameDays : null;
  const change =
    ratio === null ? '' : Math.abs(ratio) < 0.005 ? ' (about the same this month)' : ` (${ratio > 0 ? '+' : '-'}${formatPercent(Math.abs(ratio), 0)} this month)`;
  const monthName = `${MONTHS[Number(f.month.slice(5, 7)) - 1]} ${f.month.slice(0, 4)}`;
  const fields: Field[] = [
    { label: 'Month to date', value: `**${money(f.monthToDate)}**` },
    { label: 'Same days last month', value: `${money(f.lastMonthSameDays)}${change}` },
    {
      label: 'Month-end forecast',
      value: `${money(f.monthEnd.amount)}${f.monthEnd.source === 'run-rate' ? ' (projected from the daily run rate; Cost Explorer has no forecast)' : ''}`,
    },
  ];
  let budgetSeverity: Severity = 'ok';
  if (f.budget) {
    budgetSeverity = f.budget.forecastRatio > 1 ? 'critical' : f.budget.usedRatio > 0.8 ? 'warning' : 'ok';
    fields.push({
      label: 'Budget',
      value: `${formatPercent(f.budget.usedRatio, 0)} of ${money(f.budget.monthlyUsd)} used; forecast ${formatPercent(f.budget.forecastRatio, 0)}`,
    });
  }
  const present = f.daily.map((d) => d.total).filter((v): v is number => v !== null);
  const blocks: Block[] = [
    { kind: 'header', text: `S3 costs: ${monthName}` },
    { kind: 'fields', fields },
  ];
  if (f.budget && budgetSeverity !== 'ok') {
    blocks.push({
      kind: 'list',
      items: [
        {
          severity: budgetSeverity,
          text: budgetSeverity === 'critical' ? `The forecast is over the monthly budget of ${money(f.budget.monthlyUsd)}` : `Over 80% of the monthly budget is spent`,
        },
      ],
    });
  }
  blocks.push({
    kind: 'text',
    text:
      present.length === 0
        ? `**Daily, last ${f.daily.length} days:** no cost data yet`
        : `**Daily, last ${f.daily.length} days:** \`${sparkline(f.daily.map((d) => d.total))}\` ${money(Math.min(...present))} to ${money(Math.max(...present))} a day`,
  });
  const splitTotal = Object.values(f.split).reduce((s, v) => s + v, 0);
  blocks.push({
    kind: 'table',
    columns: ['Month to date', 'Cost', 'Share'],
    rows: (['storage', 'requests', 'transfer', 'other'] as const).map((c) => [
      c[0]!.toUpperCase() + c.slice(1),
      money(f.split[c]),
      splitTotal > 0 ? formatPercent(f.split[c] / splitTotal, 0) : '—',
    ]),
  });
  if (f.perBucket.length > 0) {
    blocks.push({
      kind: 'table',
      columns: ['Bucket', 'Cost tag', 'Month to date'],
      rows: f.perBucket.map((b) => [b.bucket.alias ?? b.bucket.name, b.tag, b.monthToDate === null ? '—' : money(b.monthToDate)]),
    });
  }
  const notes = [`Figures from ${formatTimestamp(f.fetchedAt)} (${formatRelative(f.fetchedAt, raw.now)}); Cost Explorer updates a few times a day`];
  if (f.perBucket.some((b) => b.monthToDate === null) && raw.tag) notes.push(`per-bucket cost shown for the tag key ${code(raw.tag.key)} only`);
  if (f.forecastProblem) notes.push(`forecast unavailable: ${f.forecastProblem}`);
  blocks.push({ kind: 'context', text: notes.join(' · ') });
  const budgetText = f.budget ? `, ${formatPercent(f.budget.usedRatio, 0)} of budget` : '';
  return {
    message: { summary: `S3 costs ${monthName}: ${money(f.monthToDate)} to date${budgetText}, month-end ${money(f.monthEnd.amount)}`, blocks },
    data: f,
  };
}
