/** Message blocks for what the access log adds to `/s3 uploads` and `/s3 errors`. */
import type { Block, ListItem } from '../message/model.js';
import { formatBytes, formatCount, formatRelative, formatTimestamp, plural } from '../message/format.js';
import { code, lit } from '../message/markup.js';
import type { BudgetStop } from '../access-logs/read-window.js';
import type { AccessLogErrors, AccessLogSourceInfo, AccessLogUploads, Count } from '../access-logs/summaries.js';

/** Where the figures come from and how fresh they are; logs arrive late, so this is always said. */
export function accessLogSourceLine(source: AccessLogSourceInfo, now: Date): string {
  const where = `${code(`${source.logBucket}/${source.logPrefix}`)}${source.partitioned ? ' (partitioned keys)' : ''}`;
  const objects = `${plural(source.objects, 'log object')} (${formatCount(source.fromCache)} already counted)`;
  const freshness = source.newestRecordAt
    ? `newest record ${formatTimestamp(source.newestRecordAt)}, ${formatRelative(source.newestRecordAt, now)}`
    : 'no records delivered yet';
  const unreadable = source.unreadableLines > 0 ? ` · ${plural(source.unreadableLines, 'line')} not readable as log records` : '';
  const stopped = source.stopped ? `. ${budgetStopText(source.stopped)}` : '';
  return `From the server access log in ${where}: ${objects}, ${freshness}; S3 delivers logs late and best-effort, usually within hours${unreadable}${stopped}`;
}

/** Where a window's read stopped: `Read the newest 500 log objects, back to 2026-12-03 12:00 UTC; 1,500 older ones not read (…)`. */
export function budgetStopText(stop: BudgetStop): string {
  const read = stop.limit === 'bytes' ? `${plural(stop.objectsRead, 'log object')} (${formatBytes(stop.bytesRead)})` : plural(stop.objectsRead, 'log object');
  const back = stop.readBackTo ? `, delivered back to ${formatTimestamp(stop.readBackTo)}` : '';
  const budget = stop.limit === 'bytes' ? `the read budget of ${formatBytes(stop.budget.bytes)}` : `the read budget of ${plural(stop.budget.objects, 'log object')}`;
  return `Read the newest ${read}${back}; ${plural(stop.objectsNotRead, 'older log object')} not read (${budget}), so older records of the window are not counted`;
}

/** The uploads table, failures and who uploaded, from the access log. */
export function accessLogUploadsBlocks(uploads: AccessLogUploads, scopeText: string): Block[] {
  const blocks: Block[] = [];
  if (uploads.total === 0) {
    blocks.push({ kind: 'text', text: `No uploads${scopeText} in the server access log.` });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    columns: ['Time (UTC)', 'Size', 'Requester', 'IP', 'Result', 'Key'],
    rows: uploads.shown.map((u) => [
      formatTimestamp(u.time).replace(' UTC', ''),
      u.size === null ? '—' : formatBytes(u.size),
      u.requester,
      u.ip ?? '—',
      u.failed ? `FAILED ${u.status ?? ''} ${u.error ?? ''}`.trim() : String(u.status ?? '—'),
      u.key,
    ]),
  });
  const items: ListItem[] = [];
  if (uploads.failed > 0) {
    const codes = countsText(uploads.failuresByCode);
    items.push({ severity: 'warning', text: `${plural(uploads.failed, 'failed upload')}${scopeText}${codes ? `: ${codes}` : ''}` });
  }
  if (uploads.notListed > 0) {
    items.push({ severity: 'info', text: `${plural(uploads.notListed, 'more upload')} counted in busy log objects but not listed one by one.` });
  }
  if (items.length) blocks.push({ kind: 'list', items });
  blocks.push({
    kind: 'fields',
    fields: uploads.byRequester.slice(0, 10).map((r) => ({ label: lit(r.requester), value: `${plural(r.uploads, 'upload')}${r.failed ? `, ${formatCount(r.failed)} failed` : ''}` })),
  });
  return blocks;
}

/** `AccessDenied ×2, SlowDown ×1`. */
export function countsText(counts: Count[]): string {
  return counts.map((c) => `${lit(c.label)} ×${formatCount(c.count)}`).join(', ');
}

/** The 4xx split by status and code, and who and where they came from. */
export function accessLogErrorsBlocks(errors: AccessLogErrors, now: Date): Block[] {
  const blocks: Block[] = [{ kind: 'divider' }];
  if (errors.clientErrors === 0 && errors.serverErrors === 0) {
    blocks.push({ kind: 'text', text: 'The server access log has no failed requests in this window.' });
  } else {
    blocks.push({
      kind: 'fields',
      fields: [
        { label: '4xx in the access log', value: countsText(errors.clientByCode) || '0' },
        { label: '5xx in the access log', value: formatCount(errors.serverErrors) },
        { label: 'Top requesters (4xx)', value: countsText(errors.topRequesters) || '—' },
        { label: 'Top IPs (4xx)', value: countsText(errors.topIps) || '—' },
      ],
    });
  }
  if (errors.notListed > 0) blocks.push({ kind: 'context', text: `${plural(errors.notListed, 'more failed request')} counted in busy log objects but not split.` });
  blocks.push({ kind: 'context', text: accessLogSourceLine(errors.source, now) });
  return blocks;
}
