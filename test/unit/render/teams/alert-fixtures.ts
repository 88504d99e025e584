/** One firing alert per rule the bot can alert on, with what the rule found, for the Teams and Slack golden files. */
import type { AlertEvent, AlertEventKind, AlertState } from '../../../../src/alerts/types.js';
import type { AlertFinding } from '../../../../src/message/alert-findings.js';

export const BUCKET = 'amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp';
export const REGION = 'us-east-1';
export const label = (name: string): string => (name === BUCKET ? `surgical-docs (${name})` : name);

/**
 * Where a fixture's line is not one the rule words today (it was written by hand), it is kept as a
 * stored line, the shape of a state written before findings: the golden files show it unchanged.
 */
const stored = (text: string): AlertFinding => ({ rule: 'stored-line', text });

const RULE_FINDING: Record<string, { finding: AlertFinding; bucket: string; recent: (number | null)[]; value: number; threshold: number }> = {
  'error-rate': { finding: { rule: 'error-rate', rate: 0.142, threshold: 0.1, forMinutes: 5, minRequests: 100 }, bucket: BUCKET, recent: [0.01, 0.02, 0.02, 0.08, 0.12, 0.142], value: 0.142, threshold: 0.1 },
  'server-errors': { finding: { rule: 'server-errors', count: 12, threshold: 5, periodMinutes: 5, periods: 2 }, bucket: BUCKET, recent: [0, 1, 0, 7, 12], value: 12, threshold: 5 },
  latency: { finding: { rule: 'latency', averageMs: 6_400, thresholdMs: 5_000, forMinutes: 5 }, bucket: BUCKET, recent: [410, 380, 5200, 6100, 6400], value: 6400, threshold: 5000 },
  'size-quota': { finding: stored('Size **431.2 GB**, 86% of the 500.0 GB quota (threshold 80%)'), bucket: BUCKET, recent: [401e9, 410e9, 420e9, 431.2e9], value: 0.86, threshold: 0.8 },
  'cost-budget': {
    finding: stored('S3 spend **$170.40** month to date (85.2% of $200.00), forecast **$231.10** (115.6%); thresholds 80.0% to date, 100.0% forecast'),
    bucket: '*',
    recent: [5.1, 5.4, 6.2, 6.0, 7.9, 8.3],
    value: 1.156,
    threshold: 1,
  },
  'no-request-metrics': { finding: stored('Request metrics are not enabled (filter `EntireBucket`), so error-rate and latency cannot be judged: S3 console → Metrics → Request metrics → Create filter'), bucket: BUCKET, recent: [], value: 1, threshold: 1 },
  'test-upload': {
    finding: {
      rule: 'test-upload',
      ok: false,
      totalMs: 1_240,
      maxMs: 30_000,
      failure: {
        step: 'write',
        message: "S3 could not use the bucket's KMS key for PutObject on `amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp` (KMS.AccessDeniedException). Grant the bot's role `kms:GenerateDataKey` on the key in the key policy or IAM, and check the key is enabled.",
      },
    },
    bucket: BUCKET,
    recent: [1_240],
    value: 1_240,
    threshold: 30_000,
  },
  'access-denied': { finding: stored('**3** requests denied (403) in the last 15 min (threshold 1): `GET` `reports/provider-payment_2026-11.pdf` by `arn:aws:iam::123456789012:user/intake` from 203.0.113.9'), bucket: BUCKET, recent: [0, 0, 1, 2], value: 3, threshold: 1 },
  'config-change': {
    finding: {
      rule: 'config-change',
      judged: true,
      windowHours: 24,
      count: 1,
      newest: [
        {
          at: '2026-11-26T14:05:00.000Z',
          call: 'PutPublicAccessBlock',
          principal: { label: 'assumed-role Deploy/ci-1234' },
          sourceIp: '198.51.100.7',
          client: 'Terraform 1.5.7',
          errorCode: null,
          phrases: ['Block Public Access: BlockPublicPolicy on → off'],
          source: 'cloudtrail',
        },
      ],
    },
    bucket: BUCKET,
    recent: [],
    value: 1,
    threshold: 1,
  },
};

/** The rules the fixtures cover. */
export const FIXTURE_RULES = Object.keys(RULE_FINDING);

/** An alert's state at a status. */
export function alertState(rule: string, status: 'firing' | 'resolved', extra: Partial<AlertState> = {}): AlertState {
  const r = RULE_FINDING[rule]!;
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
    finding: r.finding,
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
