import { describe, expect, it } from 'vitest';
import { accessLogChanges, notInTrail } from '../../../src/cloudtrail/access-log-changes.js';
import { isConfigChange, type RequestLine } from '../../../src/access-logs/counts.js';
import { bucketChanges } from '../../../src/cloudtrail/bucket-changes.js';
import { at, trailRecord } from '../../fixtures/cloudtrail/trail-records.js';

const line = (op: string, t: Date, extra: Partial<RequestLine> = {}): RequestLine => ({ t: t.getTime(), op, key: '', size: null, requester: 'arn:aws:iam::123456789012:user/alice', ip: '203.0.113.7', status: 204, error: null, ...extra });

describe('configuration calls in the server access log', () => {
  it.each([
    ['REST.PUT.BUCKETPOLICY', '-', true],
    ['REST.DELETE.ENCRYPTION', null, true],
    ['REST.PUT.OBJECT', 'a.pdf', false],
    ['REST.PUT.OBJECT', '-', false],
    ['REST.PUT.PART', '-', false],
    ['REST.GET.BUCKETPOLICY', '-', false],
    ['REST.POST.MULTI_OBJECT_DELETE', '-', false],
    ['REST.PUT.ACL', 'a.pdf', false],
  ])('%s on key %s is a configuration change: %s', (operation, key, expected) => {
    expect(isConfigChange({ operation, key })).toBe(expected);
  });

  it('reads as changes newest first, failed ones as attempts, labelled as from the log', () => {
    const changes = accessLogChanges([line('REST.DELETE.BUCKET', at(0)), line('REST.PUT.BUCKETPOLICY', at(5), { status: 403, error: 'AccessDenied' })]);
    expect(changes.map((c) => [c.call, c.principal.label, c.errorCode, c.phrases, c.risks, c.source])).toEqual([
      ['REST.PUT.BUCKETPOLICY', 'user alice', 'AccessDenied', ['bucket policy set'], [], 'access-log'],
      ['REST.DELETE.BUCKET', 'user alice', null, ['bucket deleted'], ['bucket-deleted'], 'access-log'],
    ]);
  });

  it('leaves out what CloudTrail tells: the same principal within seconds', () => {
    const trail = bucketChanges([trailRecord('PutBucketPolicy', at(10))]);
    const logged = accessLogChanges([line('REST.PUT.BUCKETPOLICY', new Date(at(10).getTime() + 2_000)), line('REST.PUT.BUCKETPOLICY', at(30)), line('REST.PUT.BUCKETPOLICY', at(10), { requester: 'arn:aws:sts::1:assumed-role/Other/x' })]);
    expect(notInTrail(logged, trail).map((c) => [c.time, c.principal.label])).toEqual([
      [at(30), 'user alice'],
      [at(10), 'assumed-role Other/x'],
    ]);
  });
});
