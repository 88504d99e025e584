import { describe, expect, it } from 'vitest';
import { bucketChanges, madeBy } from '../../../src/cloudtrail/bucket-changes.js';
import { stripMarkup } from '../../../src/message/markup.js';
import { at, trailRecord } from '../../fixtures/cloudtrail/trail-records.js';

const pab = (flags: Partial<Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>>) => ({
  requestParameters: { bucketName: 'b', publicAccessBlock: '', PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', ...flags } },
});
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** The one change's phrases, as a person reads them. */
function phrases(...records: Parameters<typeof bucketChanges>[0]): string[] {
  return bucketChanges(records)[0]!.phrases.map(stripMarkup);
}

describe('what changed, in words', () => {
  it('Block Public Access flags on → off against the previous call', () => {
    const changes = bucketChanges([trailRecord('PutPublicAccessBlock', at(0), pab(ALL_ON)), trailRecord('PutPublicAccessBlock', at(5), pab({ ...ALL_ON, BlockPublicPolicy: false }))]);
    expect(changes.map((c) => c.phrases.map(stripMarkup))).toEqual([['Block Public Access: BlockPublicPolicy on → off'], ['Block Public Access: all four settings on']]);
    expect(changes[0]!.risks).toEqual(['public-access-block-off']);
    expect(changes[1]!.risks).toEqual([]);
  });

  it('Block Public Access flags off where the previous state is not known', () => {
    expect(phrases(trailRecord('PutPublicAccessBlock', at(0), pab({ BlockPublicAcls: true, IgnorePublicAcls: true })))).toEqual([
      'Block Public Access: BlockPublicPolicy off, RestrictPublicBuckets off',
    ]);
  });

  it('a policy allowing * is public; with a condition it is not', () => {
    const open = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
    const [change] = bucketChanges([trailRecord('PutBucketPolicy', at(0), { requestParameters: { bucketName: 'b', policy: '', bucketPolicy: open } })]);
    expect(change!.phrases.map(stripMarkup)).toEqual(['bucket policy now allows * to s3:GetObject']);
    expect(change!.phrases[0]).toContain('`*`');
    expect(change!.risks).toEqual(['public-policy']);
    const conditioned = { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:GetObject'], Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] };
    const [guarded] = bucketChanges([trailRecord('PutBucketPolicy', at(0), { requestParameters: { bucketPolicy: conditioned } })]);
    expect(guarded!.risks).toEqual([]);
    expect(guarded!.phrases.map(stripMarkup)).toEqual(['bucket policy now allows * to s3:GetObject under a condition']);
  });

  it('a policy naming accounts only is replaced, not public', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:*' }] });
    const [change] = bucketChanges([trailRecord('PutBucketPolicy', at(0), { requestParameters: { bucketPolicy: policy } })]);
    expect(change!.phrases.map(stripMarkup)).toEqual(['bucket policy replaced (1 statement)']);
    expect(change!.risks).toEqual([]);
  });

  it.each([
    ['DeleteBucketEncryption', {}, ['default encryption removed'], ['encryption-removed']],
    ['DeleteBucketPolicy', {}, ['bucket policy deleted'], []],
    ['DeleteBucket', {}, ['bucket deleted'], ['bucket-deleted']],
    ['PutBucketLogging', { BucketLoggingStatus: { xmlns: 'x' } }, ['server access logging off'], ['logging-off']],
    ['PutBucketLogging', { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'b/' } } }, ['server access logging on, to logs/b/'], []],
    ['PutBucketAcl', { 'x-amz-acl': ['public-read'] }, ['ACL now public-read'], ['public-acl']],
    [
      'PutBucketAcl',
      { AccessControlPolicy: { AccessControlList: { Grant: [{ Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }, { Grantee: { ID: 'abc' }, Permission: 'FULL_CONTROL' }] } } },
      ['ACL grants READ to everyone (AllUsers)'],
      ['public-acl'],
    ],
    ['PutBucketAcl', { 'x-amz-acl': ['private'] }, ['ACL now private'], []],
    ['PutBucketEncryption', { ServerSideEncryptionConfiguration: { Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/docs' } } } }, ['default encryption set to SSE-KMS with key alias/docs'], []],
    ['PutBucketVersioning', { VersioningConfiguration: { Status: 'Suspended' } }, ['versioning Enabled → Suspended'], ['versioning-suspended']],
    ['PutBucketVersioning', { VersioningConfiguration: { Status: 'Enabled' } }, ['versioning Enabled'], []],
  ])('%s %j', (name, params, expected, risks) => {
    const [change] = bucketChanges([trailRecord(name, at(0), { requestParameters: { bucketName: 'b', ...params } })]);
    expect(change!.phrases.map(stripMarkup)).toEqual(expected);
    expect(change!.risks).toEqual(risks);
  });

  it('versioning Suspended → Enabled against the previous call', () => {
    const v = (Status: string) => ({ requestParameters: { VersioningConfiguration: { Status } } });
    const changes = bucketChanges([trailRecord('PutBucketVersioning', at(0), v('Suspended')), trailRecord('PutBucketVersioning', at(1), v('Enabled'))]);
    expect(changes[0]!.phrases.map(stripMarkup)).toEqual(['versioning Suspended → Enabled']);
  });

  it('lifecycle rules removed and added by id', () => {
    const rules = (...ids: string[]) => ({ requestParameters: { LifecycleConfiguration: { Rule: ids.length === 1 ? { ID: ids[0], Status: 'Enabled' } : ids.map((ID) => ({ ID, Status: 'Enabled' })) } } });
    const changes = bucketChanges([
      trailRecord('PutBucketLifecycle', at(0), rules('expire-test-files', 'archive')),
      trailRecord('PutBucketLifecycle', at(1), rules('archive', 'tiering')),
      trailRecord('DeleteBucketLifecycle', at(2)),
    ]);
    expect(changes.map((c) => c.phrases.map(stripMarkup))).toEqual([
      ['lifecycle rule archive removed', 'lifecycle rule tiering removed'],
      ['lifecycle rule expire-test-files removed', 'lifecycle rule tiering added'],
      ['lifecycle rules set: expire-test-files, archive'],
    ]);
    expect(changes[1]!.phrases[0]).toBe('lifecycle rule `expire-test-files` removed');
  });

  it('a denied call is an attempt: described, changing nothing, with no risk', () => {
    const changes = bucketChanges([
      trailRecord('PutBucketVersioning', at(0), { requestParameters: { VersioningConfiguration: { Status: 'Suspended' } }, errorCode: 'AccessDenied' }),
      trailRecord('PutBucketVersioning', at(1), { requestParameters: { VersioningConfiguration: { Status: 'Enabled' } } }),
    ]);
    expect(changes[1]).toMatchObject({ errorCode: 'AccessDenied', risks: [] });
    // The attempt did not suspend versioning, so the later call does not say it came back from Suspended.
    expect(changes[0]!.phrases.map(stripMarkup)).toEqual(['versioning Enabled']);
  });

  it('reads, other services and records that do not parse are left out; newest first', () => {
    const changes = bucketChanges([
      trailRecord('DeleteBucketPolicy', at(3)),
      trailRecord('GetBucketPolicy', at(4), { readOnly: true }),
      trailRecord('PutBucketPolicy', at(5), { eventSource: 'iam.amazonaws.com' }),
      { eventId: 'x', eventName: 'DeleteBucket', eventTime: at(6), record: '{not json' },
      trailRecord('DeleteBucketEncryption', at(1)),
    ]);
    expect(changes.map((c) => c.call)).toEqual(['DeleteBucketPolicy', 'DeleteBucketEncryption']);
    expect(changes[0]).toMatchObject({ principal: { label: 'user alice' }, sourceIp: '203.0.113.7', client: 'AWS CLI 2.15.0', source: 'cloudtrail' });
  });

  it('--who matches a label, an ARN or a prefix', () => {
    const [change] = bucketChanges([
      trailRecord('DeleteBucketPolicy', at(0), { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/Deploy/ci-1234', sessionContext: { sessionIssuer: { userName: 'Deploy' } } } }),
    ]);
    expect(madeBy(change!, 'assumed-role Deploy/ci-1234')).toBe(true);
    expect(madeBy(change!, 'assumed-role Deploy/*')).toBe(true);
    expect(madeBy(change!, 'Deploy')).toBe(true);
    expect(madeBy(change!, 'user alice')).toBe(false);
  });
});
