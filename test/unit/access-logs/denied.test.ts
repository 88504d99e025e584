import { describe, expect, it } from 'vitest';
import type { RequestLine } from '../../../src/access-logs/counts.js';
import { findDeniedRequests } from '../../../src/access-logs/denied.js';
import { decodeLoggedKey, readableRequester } from '../../../src/access-logs/requester.js';

const line = (over: Partial<RequestLine>): RequestLine => ({
  t: Date.parse('2026-03-10T10:00:00Z'),
  op: 'REST.GET.OBJECT',
  key: 'cases/a%20b.pdf',
  size: null,
  requester: 'arn:aws:sts::123456789012:assumed-role/Intruder/s1',
  ip: '203.0.113.9',
  status: 403,
  error: 'AccessDenied',
  ...over,
});

describe('findDeniedRequests', () => {
  it('fires on any 403 by default, naming requester, IP, operation, key and time', () => {
    const finding = findDeniedRequests([line({}), line({ status: 404, error: 'NoSuchKey' }), line({ status: 200, error: null })]);
    expect(finding).toMatchObject({ count: 1, threshold: 1, fires: true, allowed: 0 });
    expect(finding.requests).toEqual([
      {
        time: new Date('2026-03-10T10:00:00Z'),
        requester: 'arn:aws:sts::123456789012:assumed-role/Intruder/s1',
        requesterLabel: 'assumed-role Intruder/s1',
        ip: '203.0.113.9',
        operation: 'REST.GET.OBJECT',
        key: 'cases/a b.pdf',
        errorCode: 'AccessDenied',
      },
    ]);
  });

  it('does not fire below the threshold', () => {
    const finding = findDeniedRequests([line({}), line({})], { threshold: 3 });
    expect(finding).toMatchObject({ count: 2, fires: false });
  });

  it('leaves out allow-listed requesters by ARN, readable form, anonymous or prefix', () => {
    const records = [
      line({ requester: 'arn:aws:iam::123456789012:user/scanner' }),
      line({ requester: 'arn:aws:sts::123456789012:assumed-role/Monitor/i-1' }),
      line({ requester: null }),
      line({ requester: 'arn:aws:sts::123456789012:assumed-role/Intruder/s1', t: Date.parse('2026-03-10T09:00:00Z') }),
    ];
    const finding = findDeniedRequests(records, { allowList: ['arn:aws:iam::123456789012:user/scanner', 'assumed-role Monitor/*', 'anonymous'] });
    expect(finding).toMatchObject({ count: 1, allowed: 3, fires: true });
    expect(finding.requests[0]?.requesterLabel).toBe('assumed-role Intruder/s1');
  });

  it('lists denials oldest first', () => {
    const finding = findDeniedRequests([line({ t: 3 }), line({ t: 1 }), line({ t: 2 })]);
    expect(finding.requests.map((r) => r.time.getTime())).toEqual([1, 2, 3]);
  });
});

describe('readableRequester', () => {
  it.each([
    ['arn:aws:sts::123:assumed-role/App/i-0ab', 'assumed-role App/i-0ab'],
    ['arn:aws:iam::123456789012:user/alice', 'user alice'],
    ['arn:aws:iam::123456789012:root', 'root (123456789012)'],
    ['arn:aws-cn:sts::123:assumed-role/App/s', 'assumed-role App/s'],
    ['79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', 'canonical 79a59df900b9…'],
    [null, 'anonymous'],
    ['svc:logging.s3.amazonaws.com', 'svc:logging.s3.amazonaws.com'],
  ])('%s reads as %s', (raw, readable) => {
    expect(readableRequester(raw)).toBe(readable);
  });
});

describe('decodeLoggedKey', () => {
  it('decodes URL-encoding and keeps a key that does not decode as logged', () => {
    expect(decodeLoggedKey('a%20b/%C3%A9.pdf')).toBe('a b/é.pdf');
    expect(decodeLoggedKey('100%.pdf')).toBe('100%.pdf');
    expect(decodeLoggedKey(null)).toBe('');
  });
});
