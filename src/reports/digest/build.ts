/**
 * Builds the daily digest from gathered data (pure). Up to a screenful of buckets, the one message
 * holds everything; past it, the message summarises (fleet totals, the buckets that need attention
 * first, cost) and the per-bucket detail goes into thread replies of bounded size, so every
 * message stays inside Slack's limits however many buckets there are.
 */
import type { Block, Field, ListItem, Message } from '../../message/model.js';
import {
  formatBytes,
  formatBytesChange,
  formatCount,
  formatCountChange,
  formatMillis,
  formatMoney,
  formatPercent,
  formatRelative,
  formatTimestamp,
  plural,
} from '../../message/format.js';
import { code, lit } from '../../message/markup.js';
import { sparkline } from '../../message/sparkline.js';
import { changeWhat } from '../../message/change-wording.js';
import type { CostsFigures } from '../costs.js';
import { attentionOf, compareAttention, type Attention } from './attention.js';
import { clip, MAX_NAME, MAX_PROBLEM, MAX_TITLE } from './clip.js';
import type { DigestAccessLog, DigestBucket, DigestData, DigestReport, Part } from './types.js';

/** Up to this many buckets the digest is one message; past it, a summary with detail in the thread. */
export const DIGEST_INLINE_BUCKETS = 10;
/** Buckets per thread reply: a screenful, and far inside 50 blocks and 3,000 characters a section. */
export const DIGEST_THREAD_BUCKETS = 10;
/** Buckets the summary names under "Needs attention". */
export const DIGEST_ATTENTION_SHOWN = 10;
/** Hygiene findings and firing alerts named per bucket; the rest are counted. */
const TOP_FINDINGS = 3;
const TOP_FIRING = 3;
/** Requesters named per bucket for uploads and for denials; the rest are counted. */
const TOP_REQUESTERS = 3;
/** Configuration changes named one by one in a bucket's line. */
const TOP_CHANGES = 3;

export interface BuildDigestOptions {
  /**
   * Where the per-bucket detail of a large fleet is, for the summary's last line; by default its
   * thread. A surface that cannot thread (a `response_url` answer) names where to find it instead.
   */
  detailWhere?: string;
}

/** Builds the digest: the channel message and its thread replies (none when the fleet fits one message). */
export function buildDigest(data: DigestData, options: BuildDigestOptions = {}): DigestReport {
  const judged = data.buckets.map((b) => ({ bucket: b, attention: attentionOf(b) }));
  const needing = judged.filter((j) => j.attention.severity === 'warning' || j.attention.severity === 'critical');
  const title = `S3 daily digest: ${data.day}`;
  const summary = digestSummary(data, needing.length);
  const head: Block[] = [
    { kind: 'header', text: title },
    {
      kind: 'context',
      text: `${plural(data.buckets.length, 'bucket')} · the 24 h to ${formatTimestamp(data.generatedAt)} · scheduled in ${data.timeZone}`,
    },
  ];
  const notes: Block = { kind: 'context', text: digestNotes(data).join(' · ') };

  if (data.buckets.length <= DIGEST_INLINE_BUCKETS) {
    const items = judged.map((j) => bucketItem(j.bucket, j.attention));
    return {
      main: { summary, blocks: [...head, { kind: 'list', items }, ...costBlocks(data.cost, data.generatedAt), notes] },
      thread: [],
    };
  }

  const chunks: DigestBucket[][] = [];
  for (let i = 0; i < data.buckets.length; i += DIGEST_THREAD_BUCKETS) chunks.push(data.buckets.slice(i, i + DIGEST_THREAD_BUCKETS));
  const attentionByName = new Map(judged.map((j) => [j.bucket.bucket.name, j.attention]));
  const thread: Message[] = chunks.map((chunk, i) => {
    const from = i * DIGEST_THREAD_BUCKETS + 1;
    const range = `buckets ${from}–${from + chunk.length - 1} of ${data.buckets.length}`;
    return {
      summary: `${title}, ${range}`,
      blocks: [
        { kind: 'context', text: `${title} · ${range}` },
        { kind: 'list', items: chunk.map((b) => bucketItem(b, attentionByName.get(b.bucket.name) ?? attentionOf(b))) },
      ],
    };
  });

  const main: Message = {
    summary,
    blocks: [
      ...head,
      { kind: 'fields', fields: fleetFields(data, needing.length) },
      attentionBlock(needing.sort((a, b) => compareAttention(a.attention, b.attention))),
      ...costBlocks(data.cost, data.generatedAt),
      notes,
      {
        kind: 'context',
        text: `Per-bucket detail for all ${plural(data.buckets.length, 'bucket')} is ${options.detailWhere ?? `in the thread (${plural(thread.length, 'reply', 'replies')})`}.`,
      },
    ],
  };
  return { main, thread };
}

function label(b: DigestBucket): string {
  return clip(b.bucket.alias ?? b.bucket.name, MAX_NAME);
}

function digestSummary(data: DigestData, needing: number): string {
  const firing = data.buckets.reduce((n, b) => n + (b.alerts.ok ? b.alerts.value.firing.length : 0), 0);
  const parts = [
    plural(data.buckets.length, 'bucket'),
    needing > 0 ? `${formatCount(needing)} need${needing === 1 ? 's' : ''} attention` : 'none needs attention',
    firing > 0 ? `${plural(firing, 'alert')} firing` : '',
    data.cost.ok ? `${formatMoney(data.cost.value.monthToDate, data.cost.value.currency)} S3 cost month to date` : '',
  ].filter(Boolean);
  return `S3 daily digest ${data.day}: ${parts.join(', ')}`;
}

/** One bucket: its size line, then a line each for uploads, requests, alerts, test uploads and hygiene. */
export function bucketItem(b: DigestBucket, attention: Attention): ListItem {
  const name = b.bucket.alias ? `**${lit(label(b))}** ${code(b.bucket.name)}` : `**${lit(b.bucket.name)}**`;
  const lines = [uploadsLine(b.uploads), requestsLine(b.requests), alertsLine(b.alerts), testUploadsLine(b.testUploads), changesLine(b), hygieneLine(b)].filter(
    (l): l is string => l !== null,
  );
  if (attention.reasons.length > 0) lines.unshift(`Needs attention: ${attention.reasons.join('; ')}`);
  return { severity: attention.severity, text: `${name} · ${sizeText(b)}`, detail: lines.join('\n') };
}

function sizeText(b: DigestBucket): string {
  if (!b.storage.ok) return `size unknown (${clip(b.storage.problem, MAX_PROBLEM)})`;
  const s = b.storage.value;
  if (s.totalBytes === null) return 'no storage metrics yet';
  const change = (text: string | null): string => (text === null ? '' : ` (${text} in ${s.change?.days === 1 ? '24 h' : `${s.change?.days} d`})`);
  const bytesChange = s.change?.bytes === null || s.change?.bytes === undefined ? null : formatBytesChange(s.change.bytes);
  const objectsChange = s.change?.objects === null || s.change?.objects === undefined ? null : formatCountChange(s.change.objects);
  const quota = b.quotaBytes ? `, ${formatPercent(s.totalBytes / b.quotaBytes, 0)} of ${formatBytes(b.quotaBytes)} quota` : '';
  const objects = s.objects === null ? '' : ` · ${plural(s.objects, 'object')}${change(objectsChange)}`;
  return `${formatBytes(s.totalBytes)}${change(bytesChange)}${quota}${objects}`;
}

function uploadsLine(part: DigestBucket['uploads']): string {
  if (!part.ok) return `Uploads in 24 h: could not list (${clip(part.problem, MAX_PROBLEM)})`;
  const u = part.value;
  const count = `${u.atLeast ? 'at least ' : ''}${formatCount(u.count)}`;
  if (u.accessLog) return accessLogLines(u.count, u.bytes, u.atLeast, u.accessLog);
  const logNote = u.accessLogProblem ? ` (from a listing: the access log was not read, ${clip(u.accessLogProblem, MAX_PROBLEM)})` : '';
  return `Uploads in 24 h: ${count}${u.count > 0 ? ` (${formatBytes(u.bytes)})` : ''}${u.atLeast ? `, listing stopped after ${plural(u.scanned, 'key')}` : ''}${logNote}`;
}

/** Uploads by requester with their failures, and denied requests, from the server access log. */
function accessLogLines(count: number, bytes: number, atLeast: boolean, log: DigestAccessLog): string {
  const named = <T>(items: readonly T[], show: (item: T) => string): string => {
    const shown = items.slice(0, TOP_REQUESTERS).map(show);
    if (items.length > TOP_REQUESTERS) shown.push(`+${formatCount(items.length - TOP_REQUESTERS)} more`);
    return shown.join(', ');
  };
  const who = named(log.byRequester, (r) => `${code(clip(r.requester, MAX_NAME))} ${formatCount(r.uploads)}${r.failed > 0 ? ` (${formatCount(r.failed)} failed)` : ''}`);
  const failed = log.failed > 0 ? `, **${formatCount(log.failed)} failed**` : ', none failed';
  // By requester, attempts: the succeeded and the failed together.
  const uploads = `Uploads in 24 h: ${atLeast ? 'at least ' : ''}${formatCount(count)} succeeded${count > 0 ? ` (${formatBytes(bytes)})` : ''}${failed}${who ? ` · by ${who}` : ''}`;
  const denied =
    log.denied.count === 0
      ? 'Denied requests (403): none'
      : `Denied requests (403): **${formatCount(log.denied.count)}** · ${named(log.denied.byRequester, (d) => `${code(clip(d.label, MAX_NAME))} ×${formatCount(d.count)}`)}`;
  const fresh = log.newestRecordAt ? ` (access log to ${formatTimestamp(log.newestRecordAt)})` : ' (access log, no records yet)';
  const stopped = log.readStopped ? `\n${log.readStopped}` : '';
  return `${uploads}\n${denied}${fresh}${stopped}`;
}

function requestsLine(part: DigestBucket['requests']): string {
  if (!part.ok) return `Requests: could not read (${clip(part.problem, MAX_PROBLEM)})`;
  const r = part.value;
  const none = r.requests === 0 && r.errors4xx === 0 && r.errors5xx === 0;
  if (r.state === 'disabled' && none) return 'Requests: request metrics are off, so no error rate or latency';
  if (none) return r.state === 'unknown' ? 'Requests: no request metrics found' : 'Requests: none in 24 h';
  // Turned off during the day: CloudWatch still has the day's figures, and the attention line may rest on them.
  const offNow = r.state === 'disabled' ? ' (request metrics are off now: figures recorded before)' : '';
  const rate = r.errorRate === null ? '—' : formatPercent(r.errorRate);
  const latency = r.latencyAverageMs === null ? '' : ` · latency avg ${formatMillis(r.latencyAverageMs)}`;
  return `Requests: ${formatCount(r.requests)} · errors ${rate} (4xx ${formatCount(r.errors4xx)}, 5xx ${formatCount(r.errors5xx)})${latency}${offNow}`;
}

function alertsLine(part: DigestBucket['alerts']): string | null {
  // A source not built yet is said once for the whole digest, in the notes.
  if (!part.ok) return part.reason === 'missing' ? null : `Alerts: could not read (${clip(part.problem, MAX_PROBLEM)})`;
  const a = part.value;
  const firing = a.firing.slice(0, TOP_FIRING).map((f) => `${code(clip(f.rule, MAX_NAME))} since ${formatTimestamp(f.since)}`);
  if (a.firing.length > TOP_FIRING) firing.push(`+${a.firing.length - TOP_FIRING} more`);
  const head = a.fired === 0 && a.resolved === 0 ? 'none fired' : `${formatCount(a.fired)} fired, ${formatCount(a.resolved)} resolved`;
  return `Alerts: ${head}${firing.length > 0 ? `; firing now: ${firing.join(', ')}` : ''}`;
}

function testUploadsLine(part: DigestBucket['testUploads']): string | null {
  if (!part.ok) return part.reason === 'missing' ? null : `Test uploads: could not read (${clip(part.problem, MAX_PROBLEM)})`;
  const t = part.value;
  if (t.runs === 0) return 'Test uploads: none ran';
  const slowest = t.slowestMs === undefined ? '' : `, slowest ${formatMillis(t.slowestMs)}`;
  return `Test uploads: ${plural(t.runs, 'run')}, ${t.failures === 0 ? 'all passed' : `${formatCount(t.failures)} failed`}${slowest}`;
}

/** The day's configuration changes: how many, and the newest few with who made them. */
function changesLine(b: DigestBucket): string | null {
  if (!b.changes) return null;
  if (!b.changes.ok) return `Configuration changes: could not read CloudTrail (${clip(b.changes.problem, MAX_PROBLEM)})`;
  const changes = b.changes.value;
  if (changes.length === 0) return 'Configuration changes in 24 h: none';
  const shown = changes.slice(0, TOP_CHANGES).map((c) => `${changeWhat(c)} by ${code(clip(c.principal.label, MAX_NAME))} at ${formatTimestamp(c.time)}`);
  if (changes.length > TOP_CHANGES) shown.push(`+${formatCount(changes.length - TOP_CHANGES)} more (${code(`/s3 changes ${label(b)} --since 24h`)})`);
  return `Configuration changes in 24 h: **${formatCount(changes.length)}** · ${shown.join('; ')}`;
}

function hygieneLine(b: DigestBucket): string {
  if (!b.hygiene.ok) return `Hygiene: could not read the settings (${clip(b.hygiene.problem, MAX_PROBLEM)})`;
  const findings = b.hygiene.value;
  if (findings.length === 0) return 'Hygiene: nothing to fix';
  const top = findings.slice(0, TOP_FINDINGS).map((f) => clip(f.title, MAX_TITLE));
  if (findings.length > TOP_FINDINGS) top.push(`+${findings.length - TOP_FINDINGS} more`);
  return `Hygiene: ${top.join('; ')} (${code(`/s3 status ${label(b)}`)} for the fixes)`;
}

function fleetFields(data: DigestData, needing: number): Field[] {
  const known = data.buckets.filter((b) => b.storage.ok && b.storage.value.totalBytes !== null);
  const sum = (f: (b: DigestBucket) => number | null | undefined): number => data.buckets.reduce((s, b) => s + (f(b) ?? 0), 0);
  const storage = (b: DigestBucket) => (b.storage.ok ? b.storage.value : null);
  const requests = (b: DigestBucket) => (b.requests.ok ? b.requests.value : null);
  const bytes = sum((b) => storage(b)?.totalBytes);
  const bytesChange = sum((b) => storage(b)?.change?.bytes);
  const objects = sum((b) => storage(b)?.objects);
  const objectsChange = sum((b) => storage(b)?.change?.objects);
  const uploads = sum((b) => (b.uploads.ok ? b.uploads.value.count : 0));
  const uploadsFloor = data.buckets.some((b) => !b.uploads.ok || b.uploads.value.atLeast);
  const reqs = sum((b) => requests(b)?.requests);
  const errors = sum((b) => (requests(b)?.errors4xx ?? 0) + (requests(b)?.errors5xx ?? 0));
  const unknownSize = data.buckets.length - known.length;
  const fields: Field[] = [
    { label: 'Buckets', value: `${formatCount(data.buckets.length)}${needing > 0 ? `, **${formatCount(needing)} need${needing === 1 ? 's' : ''} attention**` : ', none needs attention'}` },
    {
      label: 'Size',
      value: `${formatBytes(bytes)} (${formatBytesChange(bytesChange)})${unknownSize > 0 ? `; ${formatCount(unknownSize)} without storage metrics` : ''}`,
    },
    { label: 'Objects', value: `${formatCount(objects)} (${formatCountChange(objectsChange)})` },
    { label: 'Uploads in 24 h', value: `${uploadsFloor ? 'at least ' : ''}${formatCount(uploads)}` },
    { label: 'Requests in 24 h', value: reqs > 0 ? `${formatCount(reqs)}, ${formatPercent(errors / reqs)} errors` : 'none recorded' },
  ];
  const alerts = data.buckets.filter((b) => b.alerts.ok).map((b) => (b.alerts.ok ? b.alerts.value : null));
  if (alerts.length > 0) {
    const fired = alerts.reduce((n, a) => n + (a?.fired ?? 0), 0);
    const resolved = alerts.reduce((n, a) => n + (a?.resolved ?? 0), 0);
    const firing = alerts.reduce((n, a) => n + (a?.firing.length ?? 0), 0);
    fields.push({ label: 'Alerts in 24 h', value: `${formatCount(fired)} fired, ${formatCount(resolved)} resolved, ${formatCount(firing)} firing now` });
  }
  const logs = data.buckets.flatMap((b) => (b.uploads.ok && b.uploads.value.accessLog ? [b.uploads.value.accessLog] : []));
  if (logs.length > 0) {
    const failedUploads = logs.reduce((n, l) => n + l.failed, 0);
    const denied = logs.reduce((n, l) => n + l.denied.count, 0);
    fields.push({ label: 'From access logs', value: `${formatCount(failedUploads)} failed uploads, ${formatCount(denied)} denied requests (${plural(logs.length, 'bucket')})` });
  }
  return fields;
}

function attentionBlock(needing: { bucket: DigestBucket; attention: Attention }[]): Block {
  if (needing.length === 0) {
    return { kind: 'text', text: '**Needs attention:** nothing: no alerts firing, no failed test uploads, no public buckets, error rates and sizes within the alert defaults.' };
  }
  const items: ListItem[] = needing.slice(0, DIGEST_ATTENTION_SHOWN).map(({ bucket, attention }) => ({
    severity: attention.severity,
    text: `**${lit(label(bucket))}**: ${attention.reasons.join('; ')}`,
  }));
  if (needing.length > DIGEST_ATTENTION_SHOWN) items.push({ text: `…and ${formatCount(needing.length - DIGEST_ATTENTION_SHOWN)} more, in the thread` });
  return { kind: 'list', title: `Needs attention (${formatCount(needing.length)})`, items };
}

/** Cost: month to date, forecast, budget and a 14-day sparkline, from the costs report's figures. */
export function costBlocks(cost: Part<CostsFigures>, now: Date): Block[] {
  if (!cost.ok) return [{ kind: 'list', title: 'S3 cost', items: [{ severity: 'warning', text: `Cost Explorer could not be read: ${clip(cost.problem, MAX_PROBLEM)}` }] }];
  const f = cost.value;
  const money = (n: number): string => formatMoney(n, f.currency);
  const fields: Field[] = [
    { label: 'S3 cost, month to date', value: `**${money(f.monthToDate)}**` },
    { label: 'Month-end forecast', value: `${money(f.monthEnd.amount)}${f.monthEnd.source === 'run-rate' ? ' (from the daily run rate)' : ''}` },
  ];
  if (f.budget) {
    fields.push({ label: 'Budget', value: `${formatPercent(f.budget.usedRatio, 0)} of ${money(f.budget.monthlyUsd)} used; forecast ${formatPercent(f.budget.forecastRatio, 0)}` });
  }
  const present = f.daily.map((d) => d.total).filter((v): v is number => v !== null);
  const blocks: Block[] = [
    { kind: 'fields', fields },
    {
      kind: 'text',
      text:
        present.length === 0
          ? `**Daily, last ${f.daily.length} days:** no cost data yet`
          : `**Daily, last ${f.daily.length} days:** \`${sparkline(f.daily.map((d) => d.total))}\` ${money(Math.min(...present))} to ${money(Math.max(...present))} a day`,
    },
  ];
  if (f.budget && (f.budget.forecastRatio > 1 || f.budget.usedRatio > 0.8)) {
    const over = f.budget.forecastRatio > 1;
    blocks.push({
      kind: 'list',
      items: [{ severity: over ? 'critical' : 'warning', text: over ? `The forecast is over the monthly budget of ${money(f.budget.monthlyUsd)}` : 'Over 80% of the monthly budget is spent' }],
    });
  }
  blocks.push({ kind: 'context', text: `Cost figures from ${formatTimestamp(f.fetchedAt)} (${formatRelative(f.fetchedAt, now)}); \`/s3 costs\` for the split` });
  return blocks;
}

function digestNotes(data: DigestData): string[] {
  const fromLogs = data.buckets.filter((b) => b.uploads.ok && b.uploads.value.accessLog).length;
  const listing = `a listing of up to ${plural(data.uploadScanBudget, 'key')} a bucket`;
  const notes = [
    fromLogs === 0
      ? `Uploads counted from ${listing}`
      : fromLogs === data.buckets.length
        ? 'Uploads, failures and denied requests from the server access logs'
        : `Uploads from the server access logs for ${plural(fromLogs, 'bucket')}, from ${listing} for the others`,
  ];
  const missing = new Set<string>();
  const problems = new Set<string>();
  for (const b of data.buckets) {
    for (const part of [b.alerts, b.testUploads]) if (!part.ok && part.reason === 'missing') missing.add(part.problem);
    if (!b.storage.ok) problems.add(`CloudWatch could not be read: ${clip(b.storage.problem, MAX_PROBLEM)}`);
  }
  // One CloudWatch call fails every bucket alike; a few distinct problems are enough to say what went wrong.
  notes.push(...[...missing].map((m) => m[0]!.toUpperCase() + m.slice(1)), ...[...problems].slice(0, 3));
  return notes;
}
