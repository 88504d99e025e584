import { describe, expect, it } from 'vitest';
import type { RequestLine } from '../../../src/access-logs/counts.js';
import { accessDeniedRule } from '../../../src/alerts/rules/access-denied.js';
import { ALERT_RULES, ruleNamed } from '../../../src/alerts/rules/index.js';
import type { AccessLogInput } from '../../../src/alerts/rules/rule.js';
import { fileConfigSchema, type BucketConfig } from '../../../src/config/schema.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';

const END = new Date('2026-03-10T12:00:00Z');
const START = new Date(END.getTime() - 60 * 60_000);
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';
const SCANNER = 'arn:aws:sts::123456789012:assumed-role/SecurityScanner/run-1';

const denial = (minutesAgo: number, over: Partial<RequestLine> = {}): RequestLine => ({
  t: END.getTime() - minutesAgo * 60_000,
  op: 'REST.PUT.OBJECT',
  key: 'secrets/x%20y.txt',
  size: null,
  requester: INTRUDER,
  ip: '203.0.113.9',
  status: 403,
  error: 'AccessDenied',
  ...over,
});

const window = (errors: RequestLine[]): AccessLogInput => ({ ok: true, start: START, end: END, errors, newestRecordAt: END });

function judge(accessLog: AccessLogInput | undefined, thresholds: Record<string, unknown> = {}) {
  const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', ...(Object.keys(thresholds).length ? { thresholds: { 'access-denied': thresholds } } : {}) }] });
  const bucket = config.buckets[0]! as BucketConfig;
  const settings = accessDeniedRule.settings(config, bucket)!;
  return accessDeniedRule.evaluate({ bucket, settings, end: END, requestPoints: () => [], storageBytes: [], requestMetricsConfigured: true, ...(accessLog ? { accessLog } : {}) });
}

describe('access-denied (any 403 in the last 60 min, by default)', () => {
  it('is one of the rules, read from the access log over its window', () => {
    expect(ruleNamed('access-denied', ALERT_RULES)).toBe(accessDeniedRule);
    const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] });
    expect(accessDeniedRule.accessLogMinutes!(accessDeniedRule.settings(config, config.buckets[0]!)!)).toBe(60);
  });

  it('fires on a single 403 and names requester, IP, operation and key', () => {
    const v = judge(window([denial(10)]));
    expect(v).toMatchObject({ status: 'firing', value: 1, threshold: 1, hasData: true });
    expect(v.breachingSince).toEqual(new Date(END.getTime() - 10 * 60_000));
    expect(alertFindingLine(v.finding)).toContain('assumed-role Contractor/laptop-7');
    expect(alertFindingLine(v.finding)).toContain('203.0.113.9');
    expect(alertFindingLine(v.finding)).toContain('REST.PUT.OBJECT');
    expect(alertFindingLine(v.finding)).toContain('`secrets/x y.txt`');
    expect(alertFindingLine(v.finding)).toContain('AccessDenied');
  });

  it('stays ok with no 403 (other errors are not denials)', () => {
    const v = judge(window([denial(5, { status: 404, error: 'NoSuchKey' }), denial(4, { status: 503, error: 'SlowDown' })]));
    expect(v).toMatchObject({ status: 'ok', value: 0, breachingSince: null, hasData: true });
  });

  describe('with a configured threshold of 3', () => {
    it('stays ok below it', () => expect(judge(window([denial(3), denial(2)]), { count: 3 }).status).toBe('ok'));
    it('fires at it', () => expect(judge(window([denial(3), denial(2), denial(1)]), { count: 3 })).toMatchObject({ status: 'firing', value: 3 }));
    it('fires above it, naming the newest and counting the rest', () => {
      const v = judge(window([1, 2, 3, 4, 5].map((m) => denial(m, { key: `k${m}` }))), { count: 3 });
      expect(v).toMatchObject({ status: 'firing', value: 5, threshold: 3 });
      expect(alertFindingLine(v.finding)).toContain('`k1`');
      expect(alertFindingLine(v.finding)).not.toContain('`k5`');
      expect(alertFindingLine(v.finding)).toContain('and 2 more');
    });
  });

  it('leaves out allow-listed requesters, by ARN or by prefix, and says how many', () => {
    const lines = [denial(5, { requester: SCANNER }), denial(4, { requester: 'arn:aws:sts::123456789012:assumed-role/SecurityScanner/run-2' })];
    const exact = judge(window([lines[0]!]), { allowRequesters: [SCANNER] });
    expect(exact).toMatchObject({ status: 'ok', value: 0 });
    const prefixed = judge(window([...lines, denial(3)]), { allowRequesters: ['assumed-role SecurityScanner/*'] });
    expect(prefixed).toMatchObject({ status: 'firing', value: 1 });
    expect(alertFindingLine(prefixed.finding)).toContain('2 from allow-listed requesters not counted');
    expect(alertFindingLine(prefixed.finding)).toContain('Contractor');
  });

  it('reads missing data (logging off, log unreadable, not gathered) as not breaching, and says why', () => {
    const off = judge({ ok: false, reason: 'server access logging is off for this bucket' });
    expect(off).toMatchObject({ status: 'ok', value: null, hasData: false });
    expect(alertFindingLine(off.finding)).toContain('logging is off');
    expect(judge(undefined)).toMatchObject({ status: 'ok', hasData: false });
    expect(judge(window([]))).toMatchObject({ status: 'ok', value: 0, hasData: true });
  });

  it('draws the denials over the window as a sparkline, oldest first', () => {
    const v = judge(window([denial(58), denial(2), denial(1)]));
    expect(v.recent).toHaveLength(12);
    expect(v.recent[0]).toBe(1);
    expect(v.recent[11]).toBe(2);
  });

  it('can be switched off per bucket', () => {
    const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', thresholds: { 'access-denied': false } }] });
    expect(accessDeniedRule.settings(config, config.buckets[0]!)).toBeNull();
  });

  it('rejects a threshold below one', () => {
    expect(fileConfigSchema.safeParse({ buckets: [{ name: 'docs-bucket' }], alerts: { thresholds: { 'access-denied': { count: 0 } } } }).success).toBe(false);
  });
});
