// The words of every rule's finding (the lines the rules wrote themselves before findings), and
// data in them shown as data: hostile values are escaped, and over arbitrary strings the wording
// never throws and every value reads back verbatim from a span the template chose for it.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertFinding, ChangeSeen, DenialSeen } from '../../../src/message/alert-findings.js';
import { alertFindingLine, DENIED_KEY_CHARS } from '../../../src/message/alert-wording.js';
import { clip } from '../../../src/message/format.js';
import { parseInline, stripMarkup, type Span } from '../../../src/message/markup.js';

const AT = '2026-11-26T14:05:00.000Z';

const denial = (over: Partial<DenialSeen> = {}): DenialSeen => ({
  at: AT,
  requesterLabel: 'assumed-role Contractor/laptop-7',
  ip: '203.0.113.9',
  operation: 'REST.PUT.OBJECT',
  key: 'secrets/x y.txt',
  errorCode: 'AccessDenied',
  ...over,
});

const change = (over: Partial<ChangeSeen> = {}): ChangeSeen => ({
  at: AT,
  call: 'PutPublicAccessBlock',
  principal: { label: 'assumed-role Deploy/ci-1234' },
  sourceIp: '198.51.100.7',
  client: 'Terraform 1.5.7',
  errorCode: null,
  phrases: ['Block Public Access: BlockPublicPolicy on → off'],
  source: 'cloudtrail',
  ...over,
});

describe('alertFindingLine: each rule in its words', () => {
  const cases: [string, AlertFinding, string][] = [
    ['error-rate', { rule: 'error-rate', rate: 0.142, threshold: 0.1, forMinutes: 5, minRequests: 100 }, 'Error rate **14.2%** over 5 min (threshold 10.0%)'],
    ['error-rate, too few requests', { rule: 'error-rate', rate: null, threshold: 0.1, forMinutes: 5, minRequests: 100 }, 'Error rate: fewer than 100 requests in the last 5 min (threshold 10.0%)'],
    [
      'server-errors',
      { rule: 'server-errors', count: 1234, threshold: 5, periodMinutes: 5, periods: 2 },
      '**1,234** server errors (5xx) in the last 5 min (threshold 5 in 2 consecutive periods of 5 min)',
    ],
    ['server-errors, no datapoint', { rule: 'server-errors', count: null, threshold: 5, periodMinutes: 1, periods: 3 }, '**0** server errors (5xx) in the last 1 min (threshold 5 in 3 consecutive periods of 1 min)'],
    ['latency', { rule: 'latency', averageMs: 6_400, thresholdMs: 5_000, forMinutes: 5 }, 'Average latency **6.4 s** (threshold 5.0 s for 5 min)'],
    ['latency, no requests', { rule: 'latency', averageMs: null, thresholdMs: 800, forMinutes: 10 }, 'Latency: no requests in the last minute (threshold 800 ms average for 10 min)'],
    ['size-quota', { rule: 'size-quota', bytes: 431.2e9, quotaBytes: 500e9, threshold: 0.8 }, 'Size **431.2 GB** is 86.2% of the 500.0 GB quota (threshold 80.0%)'],
    ['size-quota, no metrics yet', { rule: 'size-quota', bytes: null, quotaBytes: 500e9, threshold: 0.8 }, 'Size: no storage metrics yet (quota 500.0 GB)'],
    [
      'cost-budget, forecast',
      { rule: 'cost-budget', currency: 'USD', monthToDate: 170.4, monthEnd: 231.1, monthEndSource: 'forecast', budget: 200, monthToDateThreshold: 0.8, forecastThreshold: 1 },
      'S3 spend **$170.40** month to date (85.2% of $200.00), forecast **$231.10** (115.5%); thresholds 80.0% to date, 100.0% forecast',
    ],
    [
      'cost-budget, projected in another currency',
      { rule: 'cost-budget', currency: 'EUR', monthToDate: 1_500, monthEnd: 3_100, monthEndSource: 'run-rate', budget: 3_000, monthToDateThreshold: 0.8, forecastThreshold: 1 },
      'S3 spend **1,500.00 EUR** month to date (50.0% of 3,000.00 EUR), projected **3,100.00 EUR** (103.3%); thresholds 80.0% to date, 100.0% forecast',
    ],
    [
      'no-request-metrics, off',
      { rule: 'no-request-metrics', missing: true, bucket: 'surgical-docs', filterId: 'EntireBucket' },
      'Request metrics are off (no metrics configuration `EntireBucket`), so the error-rate, server-errors and latency alerts cannot see anything. Enable them in the S3 console (Metrics → Request metrics) or with `aws s3api put-bucket-metrics-configuration --bucket surgical-docs --id EntireBucket --metrics-configuration Id=EntireBucket`',
    ],
    ['no-request-metrics, on', { rule: 'no-request-metrics', missing: false, bucket: 'surgical-docs', filterId: 'EntireBucket' }, 'Request metrics are on (`EntireBucket`)'],
    [
      'access-denied, two denials and more, some allow-listed',
      { rule: 'access-denied', judged: true, count: 5, threshold: 1, windowMinutes: 15, allowed: 2, newest: [denial(), denial({ key: '', ip: null, errorCode: null, operation: 'REST.GET.BUCKET' })] },
      '**5** requests denied (403) in the last 15 min (threshold 1); 2 from allow-listed requesters not counted: `assumed-role Contractor/laptop-7` from 203.0.113.9: REST.PUT.OBJECT on `secrets/x y.txt` (AccessDenied); `assumed-role Contractor/laptop-7` from an unknown IP: REST.GET.BUCKET on the bucket; and 3 more',
    ],
    ['access-denied, none', { rule: 'access-denied', judged: true, count: 0, threshold: 1, windowMinutes: 60, allowed: 0, newest: [] }, '**0** requests denied (403) in the last 60 min (threshold 1)'],
    ['access-denied, not judged', { rule: 'access-denied', judged: false, reason: 'server access logging is off for this bucket' }, 'Access denied: not judged, server access logging is off for this bucket'],
    ['access-denied, not gathered', { rule: 'access-denied', judged: false, reason: null }, 'Access denied: not judged, the access log was not read'],
    [
      'config-change, one',
      { rule: 'config-change', judged: true, windowHours: 24, count: 1, newest: [change()] },
      '**Risky configuration change**: Block Public Access: BlockPublicPolicy on → off by `assumed-role Deploy/ci-1234` from 198.51.100.7 (Terraform 1.5.7) at 2026-11-26 14:05 UTC',
    ],
    [
      'config-change, more than named, one from the access log',
      { rule: 'config-change', judged: true, windowHours: 24, count: 4, newest: [change(), change({ phrases: [], call: 'DeleteBucketEncryption', sourceIp: null, source: 'access-log' }), change()] },
      '**Risky configuration changes**: Block Public Access: BlockPublicPolicy on → off by `assumed-role Deploy/ci-1234` from 198.51.100.7 (Terraform 1.5.7) at 2026-11-26 14:05 UTC; DeleteBucketEncryption (from the server access log) by `assumed-role Deploy/ci-1234` (Terraform 1.5.7) at 2026-11-26 14:05 UTC; Block Public Access: BlockPublicPolicy on → off by `assumed-role Deploy/ci-1234` from 198.51.100.7 (Terraform 1.5.7) at 2026-11-26 14:05 UTC; and 1 more',
    ],
    ['config-change, none standing', { rule: 'config-change', judged: true, windowHours: 24, count: 0, newest: [] }, 'No risky configuration change standing from the last 24 h'],
    ['config-change, not judged', { rule: 'config-change', judged: false, reason: 'CloudTrail could not be read: missing `cloudtrail:LookupEvents`' }, 'Configuration changes: not judged, CloudTrail could not be read: missing `cloudtrail:LookupEvents`'],
    ['test-upload, slow', { rule: 'test-upload', ok: true, totalMs: 7_250, maxMs: 5_000, failure: null }, 'Test upload took **7.3 s** (threshold 5.0 s)'],
    [
      'test-upload, failed',
      { rule: 'test-upload', ok: false, totalMs: 40, maxMs: 5_000, failure: { step: 'write', message: 'The bucket policy of `docs` denies PutObject' } },
      'Test upload failed at the write step: The bucket policy of `docs` denies PutObject',
    ],
    ['test-upload, failed without a reason', { rule: 'test-upload', ok: false, totalMs: 40, maxMs: 5_000, failure: null }, 'Test upload failed at the ? step: no reason given'],
    ['a line stored before findings', { rule: 'stored-line', text: 'Size **9.1 GB** is 91% of the 10 GB quota (threshold 80%)' }, 'Size **9.1 GB** is 91% of the 10 GB quota (threshold 80%)'],
  ];

  it.each(cases)('%s', (_, finding, line) => expect(alertFindingLine(finding)).toBe(line));

  it('is empty before a rule has found anything', () => expect(alertFindingLine(null)).toBe(''));
});

/** A finding with `v` in every field that holds data from AWS, configuration or people, and the values a person must read verbatim. */
type HostileFinding = (v: string) => { finding: AlertFinding; shown: string[]; inCode: string[] };

const HOSTILE: Record<string, HostileFinding> = {
  'access-denied': (v) => ({
    finding: { rule: 'access-denied', judged: true, count: 4, threshold: 1, windowMinutes: 15, allowed: 1, newest: [denial({ requesterLabel: v, ip: v, operation: v, key: v, errorCode: v })] },
    shown: [v, clip(v, DENIED_KEY_CHARS)],
    inCode: [v, clip(v, DENIED_KEY_CHARS)].filter((s) => s !== ''),
  }),
  'config-change': (v) => ({
    finding: {
      rule: 'config-change',
      judged: true,
      windowHours: 24,
      count: 2,
      newest: [change({ principal: { label: v }, sourceIp: v, client: v, phrases: [], call: v }), change({ principal: { label: v }, call: v, errorCode: v, source: 'access-log' })],
    },
    shown: [v],
    inCode: [v].filter((s) => s !== ''),
  }),
  'no-request-metrics': (v) => ({
    finding: { rule: 'no-request-metrics', missing: true, bucket: v, filterId: v },
    shown: [`--bucket ${v} --id ${v} --metrics-configuration Id=${v}`],
    inCode: [v, `aws s3api put-bucket-metrics-configuration --bucket ${v} --id ${v} --metrics-configuration Id=${v}`].filter((s) => s !== ''),
  }),
  'cost-budget': (v) => ({
    finding: { rule: 'cost-budget', currency: v, monthToDate: 170.4, monthEnd: 231.1, monthEndSource: 'forecast', budget: 200, monthToDateThreshold: 0.8, forecastThreshold: 1 },
    shown: [v],
    inCode: [],
  }),
  'test-upload': (v) => ({
    finding: { rule: 'test-upload', ok: false, totalMs: 40, maxMs: 5_000, failure: { step: v, message: 'The bucket policy denies PutObject' } },
    shown: [`at the ${v} step`],
    inCode: [],
  }),
};

/** What the template alone writes: bold and italic spans, and no mention or link (no finding writes one). */
function formatting(spans: Span[]): Record<string, number> {
  const count = (kind: Span['kind']) => spans.filter((s) => s.kind === kind).length;
  return { bold: count('bold'), italic: count('italic'), mention: count('mention'), link: count('link'), break: count('break') };
}

/** The finding worded with `v` reads `v` back as written, in code where the template put it there, with no formatting `v` brought. */
function checkShownAsData(make: HostileFinding, v: string): void {
  const { finding, shown, inCode } = make(v);
  const line = alertFindingLine(finding);
  const spans = parseInline(line);
  expect(formatting(spans)).toEqual(formatting(parseInline(alertFindingLine(make('x').finding))));
  const plain = stripMarkup(line);
  for (const value of shown) expect(plain).toContain(value);
  const codes = spans.filter((s) => s.kind === 'code').map((s) => s.text);
  for (const value of inCode) expect(codes).toContain(value);
}

const hostileValues = JSON.parse(readFileSync(new URL('../../fixtures/hostile/values.json', import.meta.url), 'utf8')) as { name: string; value: string }[];
const corpus = hostileValues.map((c) => c.value);

describe('alertFindingLine: data is shown as data', () => {
  it('a requester, key, principal or client with mentions, stars and backticks stays inside its code span', () => {
    const hostile = '<!channel> *all* `x` **now**';
    const line = alertFindingLine(HOSTILE['access-denied']!(hostile).finding);
    expect(line).toContain('`<!channel> *all* \\`x\\` **now**`');
    expect(line).toContain('from \\<!channel> \\*all\\* \\`x\\` \\*\\*now\\*\\*: ');
    const changed = alertFindingLine(HOSTILE['config-change']!('<@U0VICTIM> _hi_').finding);
    expect(changed).toContain('by `<@U0VICTIM> _hi_` from \\<@U0VICTIM> \\_hi\\_ (\\<@U0VICTIM> \\_hi\\_)');
    expect(parseInline(changed).some((s) => s.kind === 'mention' || s.kind === 'italic')).toBe(false);
  });

  for (const [rule, make] of Object.entries(HOSTILE)) {
    describe(rule, () => {
      it.each(hostileValues.map((c) => [c.name, c.value] as const))('%s', (_, v) => checkShownAsData(make, v));

      it('never throws, and any string reads back verbatim with no formatting of its own', () => {
        fc.assert(
          fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...corpus)), (v) => checkShownAsData(make, v)),
          { numRuns: 300 },
        );
      });
    });
  }
});
