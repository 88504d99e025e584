/** `/s3 errors`: 4xx and 5xx against all requests, per period as sparklines, and latency; from the access log, who is behind the 4xx. */
import { readBucketAccessLog } from './access-log-read.js';
import type { AccessLogReadBudget } from '../access-logs/read-window.js';
import { accessLogErrorsBlocks } from './access-log-blocks.js';
import { type AccessLogErrors, summarizeErrors } from '../access-logs/summaries.js';
import type { AwsPorts, MetricSeries } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import { type Logger, silentLogger } from '../lib/logger.js';
import type { Block, Field, Report } from '../message/model.js';
import { formatCount, formatDuration, formatMillis, formatPercent, formatTimestamp } from '../message/format.js';
import { code } from '../message/markup.js';
import { sparkline } from '../message/sparkline.js';
import { enableRequestMetricsCommand } from './hygiene.js';
import { floorToMinute, type LatencyMetric, requestQuery, type RequestMetric } from './s3-metrics.js';
import { type RequestMetricsState, requestMetricsState } from './status.js';
import type { BucketRef } from './types.js';
import { answeredOr, isUnavailable, NOT_ANSWERED_IN_TIME, unansweredBlocks } from './unanswered.js';
import { periodForWindow, windowName } from './window.js';

const COUNTS: RequestMetric[] = ['AllRequests', 'GetRequests', 'PutRequests', '4xxErrors', '5xxErrors'];
const LATENCY_STATS = ['Sum', 'SampleCount', 'Maximum'] as const;
const LATENCIES: LatencyMetric[] = ['TotalRequestLatency', 'FirstByteLatency'];

export interface LatencyFigures {
  averageMs: number;
  maxMs: number;
}

export interface ErrorsData {
  bucket: BucketRef & { requestMetricsFilterId: string };
  generatedAt: Date;
  windowMs: number;
  periodSeconds: number;
  start: Date;
  end: Date;
  requestMetrics: RequestMetricsState;
  totals: { requests: number; gets: number; puts: number; errors4xx: number; errors5xx: number; errorRate: number | null };
  /** One value per period, oldest first; `null` where a period has no datapoint. */
  perPeriod: {
    requests: (number | null)[];
    errorRate: (number | null)[];
    latencyAverageMs: (number | null)[];
  };
  latency: { total: LatencyFigures | null; firstByte: LatencyFigures | null };
  /** 4xx by status and code and who is behind them, from the server access log where it can be read. */
  accessLog?: AccessLogErrors;
  /** Why the access log could not add that, when it was tried (and not because S3 did not answer in time: that is in `unanswered`). */
  accessLogUnavailable?: string;
  /** False when CloudWatch did not answer in time: the request, error and latency figures are unknown, not zero. */
  metricsAnswered?: false;
  /** One sentence per source that did not answer in time ("CloudWatch did not answer within 6 s …"). */
  unanswered?: string[];
}

/** Fetches request, error and latency metrics for the window in one GetMetricData call, and the facts that say whether they are on. */
export async function gatherErrors(ports: AwsPorts, bucket: BucketConfig, now: Date, windowMs: number, options: { logger?: Logger; logBudget?: AccessLogReadBudget } = {}): Promise<ErrorsData> {
  const end = floorToMinute(now);
  const start = new Date(end.getTime() - windowMs);
  const period = periodForWindow(windowMs);
  const filter = bucket.requestMetricsFilterId;
  const q = (metric: RequestMetric | LatencyMetric, stat: 'Sum' | 'SampleCount' | 'Maximum') => requestQuery(bucket.name, filter, 'e', metric, stat, period);
  const queries = [...COUNTS.map((m) => q(m, 'Sum')), ...LATENCIES.flatMap((m) => LATENCY_STATS.map((s) => q(m, s)))];
  // The metrics (CloudWatch) and the access log (S3) are independent: one that does not answer in
  // time leaves the other's part of the answer.
  const factsRead = ports.facts.getFacts(bucket.name);
  const logRead = ports.accessLogs
    ? factsRead.then((facts) => readBucketAccessLog(ports, facts, { start, end: now }, options.logger ?? silentLogger(), options.logBudget ? { budget: options.logBudget } : {}))
    : Promise.resolve(undefined);
  const [facts, metrics, log] = await Promise.all([factsRead, answeredOr(ports.metrics.getMetricData(queries, { start, end })), logRead]);
  const series = 'value' in metrics ? metrics.value : new Map<string, MetricSeries>();
  // S3 not answering in time, for the log objects or for the logging configuration that says where they are.
  const loggingProblem = facts.problems.find((p) => p.fact === 'logging')?.message;
  const logUnanswered = log && !log.ok && (isUnavailable(log.cause) || (loggingProblem !== undefined && NOT_ANSWERED_IN_TIME.test(loggingProblem)));
  const unanswered = [
    ...('unanswered' in metrics ? [metrics.unanswered] : []),
    ...(log && !log.ok && logUnanswered ? [`The split of 4xx by status and requester is left out: ${log.reason}`] : []),
  ];

  const slots = Math.max(1, Math.ceil(windowMs / 1000 / period));
  const perSlot = (metric: RequestMetric | LatencyMetric, stat: 'Sum' | 'SampleCount' | 'Maximum'): (number | null)[] =>
    bySlot(series.get(q(metric, stat).id), start, period, slots);
  const total = (values: (number | null)[]): number => values.reduce<number>((s, v) => s + (v ?? 0), 0);

  const requests = perSlot('AllRequests', 'Sum');
  const e4 = perSlot('4xxErrors', 'Sum');
  const e5 = perSlot('5xxErrors', 'Sum');
  const hasData = [requests, e4, e5].some((s) => s.some((v) => v !== null));
  const latencyOf = (metric: LatencyMetric): { figures: LatencyFigures | null; perPeriod: (number | null)[] } => {
    const sums = perSlot(metric, 'Sum');
    const counts = perSlot(metric, 'SampleCount');
    const maxes = perSlot(metric, 'Maximum').filter((v): v is number => v !== null);
    const n = total(counts);
    return {
      figures: n > 0 ? { averageMs: total(sums) / n, maxMs: Math.max(...maxes, 0) } : null,
      perPeriod: sums.map((s, i) => (s !== null && (counts[i] ?? 0) > 0 ? s / (counts[i] ?? 1) : null)),
    };
  };
  const totalLatency = latencyOf('TotalRequestLatency');
  const requestCount = total(requests);
  const errors4xx = total(e4);
  const errors5xx = total(e5);
  return {
    bucket: { name: bucket.name, alias: bucket.alias, requestMetricsFilterId: filter },
    generatedAt: now,
    windowMs,
    periodSeconds: period,
    start,
    end,
    requestMetrics: requestMetricsState(facts, filter, hasData),
    totals: {
      requests: requestCount,
      gets: total(perSlot('GetRequests', 'Sum')),
      puts: total(perSlot('PutRequests', 'Sum')),
      errors4xx,
      errors5xx,
      errorRate: requestCount > 0 ? (errors4xx + errors5xx) / requestCount : null,
    },
    perPeriod: {
      requests,
      errorRate: requests.map((r, i) => (r !== null && r > 0 ? ((e4[i] ?? 0) + (e5[i] ?? 0)) / r : null)),
      latencyAverageMs: totalLatency.perPeriod,
    },
    latency: { total: totalLatency.figures, firstByte: latencyOf('FirstByteLatency').figures },
    ...(log?.ok ? { accessLog: summarizeErrors(log.window) } : {}),
    ...(log && !log.ok && !logUnanswered ? { accessLogUnavailable: log.reason } : {}),
    ...('unanswered' in metrics ? { metricsAnswered: false as const } : {}),
    ...(unanswered.length > 0 ? { unanswered } : {}),
  };
}

/** What the access log adds to the message: the 4xx split, or why it cannot. */
function accessLogBlocks(data: ErrorsData): Block[] {
  if (data.accessLog) return accessLogErrorsBlocks(data.accessLog, data.generatedAt);
  if (data.accessLogUnavailable) {
    return [{ kind: 'context', text: `No split of 4xx by status and requester: ${data.accessLogUnavailable}.` }];
  }
  return [];
}

/** Places a series' points in the window's periods, oldest first; `null` where a period has none. */
export function bySlot(series: MetricSeries | undefined, start: Date, periodSeconds: number, slots: number): (number | null)[] {
  const values: (number | null)[] = Array.from({ length: slots }, () => null);
  for (const p of series?.points ?? []) {
    const slot = Math.floor((p.timestamp.getTime() - start.getTime()) / (periodSeconds * 1000));
    if (slot >= 0 && slot < slots) values[slot] = (values[slot] ?? 0) + p.value;
  }
  return values;
}

/** Builds the errors message; where request metrics are off, says so and gives the command that turns them on. */
export function buildErrors(data: ErrorsData): Report<ErrorsData> {
  const label = data.bucket.alias ?? data.bucket.name;
  const window = windowName(data.windowMs);
  const header: Block = { kind: 'header', text: `Errors and latency: ${label}, last ${window}` };
  const context: Block = {
    kind: 'context',
    text: `${code(data.bucket.name)} · per ${formatDuration(data.periodSeconds * 1000)} from ${formatTimestamp(data.start)} to ${formatTimestamp(data.end)} · request metrics filter ${code(data.bucket.requestMetricsFilterId)}`,
  };
  // Metrics known to be off are said so whether or not CloudWatch answered; otherwise its silence says nothing about them.
  if (data.metricsAnswered === false && data.requestMetrics !== 'disabled') return buildWithoutMetrics(data, label, [header, context]);
  if (data.requestMetrics !== 'enabled') {
    const command = enableRequestMetricsCommand(data.bucket.name, data.bucket.requestMetricsFilterId);
    const problem =
      data.requestMetrics === 'disabled'
        ? `Request metrics are not enabled for ${code(data.bucket.name)}, so CloudWatch has no request, error or latency figures for it.`
        : `The bucket's metrics configuration could not be read and CloudWatch returned no request metrics for it.`;
    return {
      message: {
        summary: `${label}: request metrics are not enabled`,
        blocks: [
          header,
          { kind: 'list', items: [{ severity: 'warning', text: problem, detail: 'Enable them (CloudWatch request metrics are billed as custom metrics; figures appear within about 15 minutes):' }] },
          { kind: 'text', text: code(command) },
          { kind: 'context', text: `Console: S3 › ${data.bucket.name} › Metrics › Request metrics › Create filter (filter name ${code(data.bucket.requestMetricsFilterId)}, whole bucket).` },
          ...accessLogBlocks(data),
          ...unansweredBlocks(data.unanswered),
        ],
      },
      data,
    };
  }
  const t = data.totals;
  const share = (n: number): string => (t.requests > 0 ? ` (${formatPercent(n / t.requests)})` : '');
  const latency = (l: LatencyFigures | null): string => (l ? `avg ${formatMillis(l.averageMs)}, max ${formatMillis(l.maxMs)}` : '—');
  const fields: Field[] = [
    { label: 'Requests', value: `${formatCount(t.requests)} (GET ${formatCount(t.gets)}, PUT ${formatCount(t.puts)})` },
    { label: 'Error rate', value: t.errorRate === null ? '—' : formatPercent(t.errorRate) },
    { label: '4xx errors', value: `${formatCount(t.errors4xx)}${share(t.errors4xx)}` },
    { label: '5xx errors', value: `${formatCount(t.errors5xx)}${share(t.errors5xx)}` },
    { label: 'Total request latency', value: latency(data.latency.total) },
    { label: 'First byte latency', value: latency(data.latency.firstByte) },
  ];
  const blocks: Block[] = [header, context];
  if (t.requests === 0 && t.errors4xx === 0 && t.errors5xx === 0) {
    blocks.push({ kind: 'text', text: `No requests in the last ${window}.` });
  } else {
    blocks.push({ kind: 'fields', fields });
    const peak = (values: (number | null)[]): number => Math.max(0, ...values.filter((v): v is number => v !== null));
    const p = data.perPeriod;
    blocks.push({
      kind: 'table',
      columns: ['Per period', 'Trend', 'Peak'],
      rows: [
        ['Requests', sparkline(p.requests.map((v) => v ?? 0)), formatCount(peak(p.requests))],
        ['Error rate', sparkline(p.errorRate), formatPercent(peak(p.errorRate))],
        ['Latency avg', sparkline(p.latencyAverageMs), formatMillis(peak(p.latencyAverageMs))],
      ],
    });
  }
  blocks.push(...accessLogBlocks(data), ...unansweredBlocks(data.unanswered));
  const summary =
    t.requests === 0
      ? `${label}: no requests in the last ${window}`
      : `${label}: ${formatPercent(t.errorRate ?? 0)} errors of ${formatCount(t.requests)} requests in the last ${window} (4xx ${formatCount(t.errors4xx)}, 5xx ${formatCount(t.errors5xx)})`;
  return { message: { summary, blocks }, data };
}

/** The errors message when CloudWatch did not answer in time: what the access log says, and CloudWatch named as not answering. */
function buildWithoutMetrics(data: ErrorsData, label: string, blocks: Block[]): Report<ErrorsData> {
  const log = data.accessLog;
  const summary = log
    ? `${label}: CloudWatch did not answer; ${formatCount(log.clientErrors)} 4xx in the access log over the last ${windowName(data.windowMs)}`
    : `${label}: CloudWatch did not answer; no request, error or latency figures`;
  return { message: { summary, blocks: [...blocks, ...accessLogBlocks(data), ...unansweredBlocks(data.unanswered)] }, data };
}
