/** Which buckets need attention in the digest, and why: what the summary lists first. */
import type { Severity } from '../../message/model.js';
import { formatPercent } from '../../message/format.js';
import { code } from '../../message/markup.js';
import { clip, MAX_NAME, MAX_TITLE } from './clip.js';
import type { DigestBucket } from './types.js';

/** The error rate the `error-rate` rule fires at by default (SPEC section 4), with its minimum requests. */
export const ATTENTION_ERROR_RATE = 0.1;
export const ATTENTION_MIN_REQUESTS = 20;
/** The share of the quota the `size-quota` rule fires at by default. */
export const ATTENTION_QUOTA_SHARE = 0.8;

export interface Attention {
  severity: Severity;
  /** Short reasons, worst first, in neutral markup. */
  reasons: string[];
}

/** Whether a window's error rate is past the `error-rate` rule's default, with enough requests to judge. */
export function errorRateNeedsAttention(requests: number, errorRate: number | null): boolean {
  return errorRate !== null && requests >= ATTENTION_MIN_REQUESTS && errorRate > ATTENTION_ERROR_RATE;
}

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

/** Sorts most severe first, then by how many reasons. */
export function compareAttention(a: Attention, b: Attention): number {
  return RANK[b.severity] - RANK[a.severity] || b.reasons.length - a.reasons.length;
}

/**
 * A bucket needs attention for a firing alert, a failed test upload or a critical hygiene finding
 * (critical); an error rate or size past the alert defaults, or a source that could not be read
 * (warning). Other hygiene findings only make it `info`: nearly every bucket has some.
 */
export function attentionOf(b: DigestBucket): Attention {
  const found: { severity: Severity; text: string }[] = [];
  if (b.alerts.ok && b.alerts.value.firing.length > 0) {
    const rules = b.alerts.value.firing.map((f) => code(clip(f.rule, MAX_NAME)));
    const shown = rules.slice(0, 3).join(', ') + (rules.length > 3 ? `, +${rules.length - 3} more` : '');
    found.push({ severity: 'critical', text: `${rules.length} alert${rules.length === 1 ? '' : 's'} firing (${shown})` });
  }
  if (b.testUploads.ok && b.testUploads.value.failures > 0) {
    found.push({ severity: 'critical', text: `${b.testUploads.value.failures} of ${b.testUploads.value.runs} test uploads failed` });
  }
  if (b.hygiene.ok) {
    for (const f of b.hygiene.value.filter((h) => h.severity === 'critical')) found.push({ severity: 'critical', text: clip(f.title, MAX_TITLE) });
  }
  if (b.requests.ok) {
    const r = b.requests.value;
    if (r.errorRate !== null && errorRateNeedsAttention(r.requests, r.errorRate)) {
      found.push({ severity: 'warning', text: `error rate ${formatPercent(r.errorRate)}` });
    }
  }
  if (b.storage.ok && b.quotaBytes && b.storage.value.totalBytes !== null) {
    const share = b.storage.value.totalBytes / b.quotaBytes;
    if (share > ATTENTION_QUOTA_SHARE) found.push({ severity: 'warning', text: `size ${formatPercent(share, 0)} of quota` });
  }
  // CloudWatch failing fails every bucket alike; the digest says that once, not per bucket.
  const unread = [
    !b.hygiene.ok && b.hygiene.reason === 'failed' ? 'settings' : '',
    !b.uploads.ok && b.uploads.reason === 'failed' ? 'listing' : '',
    !b.alerts.ok && b.alerts.reason === 'failed' ? 'alerts' : '',
    !b.testUploads.ok && b.testUploads.reason === 'failed' ? 'test uploads' : '',
  ].filter(Boolean);
  if (unread.length > 0) found.push({ severity: 'warning', text: `could not read its ${unread.join(', ')}` });

  let severity: Severity = found.reduce<Severity>((w, f) => worse(w, f.severity), 'ok');
  if (severity === 'ok' && b.hygiene.ok && b.hygiene.value.length > 0) severity = 'info';
  return { severity, reasons: found.sort((x, y) => RANK[y.severity] - RANK[x.severity]).map((f) => f.text) };
}
