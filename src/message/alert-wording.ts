/**
 * The words of alert findings: each rule's finding as one line of neutral markup, the line the
 * alert message, its thread, `/s3 alerts`, `/s3 status`, the Teams cards and the command line show.
 * Every value from data goes in through `lit()` or `code()`; figures through `format.ts`.
 */
import type { AccessDeniedFinding, AlertFinding, ChangeSeen, ConfigChangeFinding, CostBudgetFinding, DenialSeen, SizeQuotaFinding, TestUploadFinding } from './alert-findings.js';
import { clip, formatBytes, formatCount, formatMillis, formatMoney, formatPercent, formatTimestamp } from './format.js';
import { changeActor, changeWhat } from './change-wording.js';
import { code, lit } from './markup.js';

/** Keys run to 1,024 bytes; three of them must still fit one Slack section. */
export const DENIED_KEY_CHARS = 200;

/** The line of a finding, in neutral markup; `''` before a rule has found anything. */
export function alertFindingLine(finding: AlertFinding | null): string {
  if (finding === null) return '';
  switch (finding.rule) {
    case 'error-rate':
      return finding.rate === null
        ? `Error rate: fewer than ${finding.minRequests} requests in the last ${finding.forMinutes} min (threshold ${formatPercent(finding.threshold)})`
        : `Error rate **${formatPercent(finding.rate)}** over ${finding.forMinutes} min (threshold ${formatPercent(finding.threshold)})`;
    case 'server-errors':
      return `**${formatCount(finding.count ?? 0)}** server errors (5xx) in the last ${finding.periodMinutes} min (threshold ${formatCount(finding.threshold)} in ${finding.periods} consecutive periods of ${finding.periodMinutes} min)`;
    case 'latency':
      return finding.averageMs === null
        ? `Latency: no requests in the last minute (threshold ${formatMillis(finding.thresholdMs)} average for ${finding.forMinutes} min)`
        : `Average latency **${formatMillis(finding.averageMs)}** (threshold ${formatMillis(finding.thresholdMs)} for ${finding.forMinutes} min)`;
    case 'size-quota':
      return sizeQuotaLine(finding);
    case 'cost-budget':
      return costBudgetLine(finding);
    case 'no-request-metrics': {
      const { filterId, bucket } = finding;
      return finding.missing
        ? `Request metrics are off (no metrics configuration ${code(filterId)}), so the error-rate, server-errors and latency alerts cannot see anything. Enable them in the S3 console (Metrics → Request metrics) or with ${code(`aws s3api put-bucket-metrics-configuration --bucket ${bucket} --id ${filterId} --metrics-configuration Id=${filterId}`)}`
        : `Request metrics are on (${code(filterId)})`;
    }
    case 'access-denied':
      return accessDeniedLine(finding);
    case 'config-change':
      return configChangeLine(finding);
    case 'test-upload':
      return testUploadLine(finding);
    case 'stored-line':
      return finding.text;
  }
}

function sizeQuotaLine(f: SizeQuotaFinding): string {
  if (f.bytes === null) return `Size: no storage metrics yet (quota ${formatBytes(f.quotaBytes)})`;
  return `Size **${formatBytes(f.bytes)}** is ${formatPercent(f.bytes / f.quotaBytes)} of the ${formatBytes(f.quotaBytes)} quota (threshold ${formatPercent(f.threshold)})`;
}

function costBudgetLine(f: CostBudgetFinding): string {
  const money = (n: number) => lit(formatMoney(n, f.currency));
  const used = f.monthToDate / f.budget;
  const forecast = f.monthEnd / f.budget;
  return `S3 spend **${money(f.monthToDate)}** month to date (${formatPercent(used)} of ${money(f.budget)}), ${f.monthEndSource === 'forecast' ? 'forecast' : 'projected'} **${money(f.monthEnd)}** (${formatPercent(forecast)}); thresholds ${formatPercent(f.monthToDateThreshold)} to date, ${formatPercent(f.forecastThreshold)} forecast`;
}

/** One denial as a person reads it: who, from where, what they tried, on which key. */
export function describeDenial(d: Pick<DenialSeen, 'requesterLabel' | 'ip' | 'operation' | 'key' | 'errorCode'>): string {
  const target = d.key === '' ? 'the bucket' : code(clip(d.key, DENIED_KEY_CHARS));
  return `${code(d.requesterLabel)} from ${d.ip ? lit(d.ip) : 'an unknown IP'}: ${lit(d.operation)} on ${target}${d.errorCode ? ` (${lit(d.errorCode)})` : ''}`;
}

function accessDeniedLine(f: AccessDeniedFinding): string {
  if (!f.judged) return `Access denied: not judged, ${f.reason ?? 'the access log was not read'}`;
  const more = f.count - f.newest.length;
  const allowed = f.allowed > 0 ? `; ${formatCount(f.allowed)} from allow-listed requesters not counted` : '';
  const head = `**${formatCount(f.count)}** request${f.count === 1 ? '' : 's'} denied (403) in the last ${f.windowMinutes} min (threshold ${formatCount(f.threshold)})${allowed}`;
  if (f.newest.length === 0) return head;
  return `${head}: ${f.newest.map(describeDenial).join('; ')}${more > 0 ? `; and ${formatCount(more)} more` : ''}`;
}

/** One risky change as the alert names it: what, who, from where, when. */
export function describeRiskyChange(change: ChangeSeen): string {
  return `${changeWhat(change)} by ${changeActor(change)} at ${formatTimestamp(new Date(change.at))}`;
}

function configChangeLine(f: ConfigChangeFinding): string {
  if (!f.judged) return `Configuration changes: not judged, ${f.reason ?? 'CloudTrail was not read'}`;
  if (f.count === 0) return `No risky configuration change standing from the last ${f.windowHours} h`;
  const more = f.count - f.newest.length;
  return `**Risky configuration change${f.count === 1 ? '' : 's'}**: ${f.newest.map(describeRiskyChange).join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

function testUploadLine(f: TestUploadFinding): string {
  if (!f.ok) return `Test upload failed at the ${lit(f.failure?.step ?? '?')} step: ${f.failure?.message ?? 'no reason given'}`;
  return `Test upload took **${formatMillis(f.totalMs)}** (threshold ${formatMillis(f.maxMs)})`;
}
