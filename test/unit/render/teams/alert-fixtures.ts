/** One firing alert per rule the bot can alert on, as the rules word them, for the Teams and Slack golden files. */
import type { AlertEvent, AlertEventKind, AlertState } from '../../../../src/alerts/types.js';

export const BUCKET = 'amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp';
export const REGION = 'us-east-1';
export const label = (name: string): string => (name === BUCKET ? `surgical-docs (${name})` : name);

const RULE_TEXT: Record<string, { text: string; bucket: string; recent: (number | null)[]; value: number; threshold: number }> = {
  'error-rate': { text: 'Error rate **14.2%** over 5 min (threshold 10.0%)', bucket: BUCKET, recent: [0.01, 0.02, 0.02, 0.08, 0.12, 0.142], value: 0.142, threshold: 0.1 },
  'server-errors': { text: '**12** server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)', bucket: BUCKET, recent: [0, 1, 0, 7, 12], value: 12, threshold: 5 },
  latency: { text: 'Average latency **6.4 s** (threshold 5.0 s for 5 min)', bucket: BUCKET, recent: [410, 380, 5200, 6100, 6400], value: 6400, threshold: 5000 },
  'size-quota': { text: 'Size **431.2 GB**, 86% of the 500.0 GB quota (threshold 80%)', bucket: BUCKET, recent: [401e9, 410e9, 420e9, 431.2e9], value: 0.86, threshold: 0.8 },
  'cost-budget': {
    text: 'S3 spend **$170.40** month to date (85.2% of $200.00), forecast **$231.10** (115.6%); thresholds 80.0% to date, 100.0% forecast',
    bucket: '*',
    recent: [5.1, 5.4, 6.2, 6.0, 7.9, 8.3],
    value: 1.156,
    threshold: 1,
  },
  'no-request-metrics': { text: 'Request metrics are not enabled (filter `EntireBucket`), so error-rate and latency cannot be judged: S3 console → Metrics → Request metrics → Create filter', bucket: BUCKET, recent: [], value: 1, threshold: 1 },
  'test-upload': {
    text: "Test upload failed at the write step: S3 could not use the bucket's KMS key for PutObject on `amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp` (KMS.AccessDeniedException). Grant the bot's role `kms:GenerateDataKey` on the key in the key policy or IAM, and check the key is enabled.",
    bucket: BUCKET,
    recent: [1_240],
    value: 1_240,
    threshold: 30_000,
  },
  'access-denied': { text: '**3** requests denied (403) in the last 15 min (threshold 1): `GET` `reports/provider-payment_2026-11.pdf` by `arn:aws:iam::123456789012:user/intake` from 203.0.113.9', bucket: BUCKET, recent: [0, 0, 1, 2], value: 3, threshold: 1 },
  'config-change': {
    text: '**Risky configuration change**: Block Public Access: BlockPublicPolicy on → off by `assumed-role Deploy/ci-1234` from 198.51.100.7 (Terraform 1.5.7) at 2026-11-26 14:05 UTC',
    bucket: BUCKET,
    recent: [],
    value: 1,
    threshold: 1,
  },
};

/** The rules the fixtures cover. */
export const FIXTURE_RULES = Object.keys(RULE_TEXT);

/** An alert's state at a status. */
export function alertState(rule: string, status: 'firing' | 'resolved', extra: Partial<AlertState> = {}): AlertState {
  const r = RULE_TEXT[rule]!;
  return {
    id: `${rule}:${r.bucket}`,
    rule,
    bucket: r.bucket,
    severity: 'critical',
    status,
    version: status === 'firing' ? 1 : 2,
    episode: 1,
    since: '2026-11-26T14:05:00.000Z',
    resolvedAt: status === 'resolved' ? '2026-11-26T15:20:00.000Z' : null,
    lastNotifiedAt: '2026-11-26T14:10:00.000Z',
    snoozedUntil: null,
    snoozedBy: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    value: r.value,
    threshold: r.threshold,
    text: r.text,
    recent: r.recent,
    lastSlot: '2026-11-26T15:20:00.000Z',
    updatedAt: status === 'resolved' ? '2026-11-26T15:20:00.000Z' : '2026-11-26T14:10:00.000Z',
    ...extra,
  };
}

/** The event of a change of that state. */
export function alertEvent(kind: AlertEventKind, state: AlertState, at: string, version = state.version, user?: string): AlertEvent {
  return { kind, version, at, state: { ...state, version }, ...(user ? { user } : {}) };
}
