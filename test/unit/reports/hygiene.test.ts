import { describe, expect, it } from 'vitest';
import type { BucketFacts } from '../../../src/aws/ports.js';
import { checkHygiene, type HygieneCheckId, type HygieneInput } from '../../../src/reports/hygiene.js';
import { bareFacts, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';

const input = (facts: BucketFacts, extra: Partial<HygieneInput> = {}): HygieneInput => ({
  facts,
  testPrefix: SURGICAL_BUCKET.testPrefix,
  requestMetricsFilterId: SURGICAL_BUCKET.requestMetricsFilterId,
  storage: { byClass: [{ storageClass: 'STANDARD', bytes: 40e9 }] },
  ...extra,
});
const ids = (i: HygieneInput): HygieneCheckId[] => checkHygiene(i).map((f) => f.id);
const kept = wellKeptFacts();
const bucket = kept.bucket;

// Each check: facts that make it fire, from an otherwise well-kept bucket.
const firing: [HygieneCheckId, Partial<BucketFacts>, Partial<HygieneInput>?][] = [
  ['public-access-block-off', { publicAccessBlock: null }],
  ['policy-public', { policyIsPublic: true }],
  ['no-default-encryption', { encryption: null }],
  ['versioning-off', { versioning: 'Disabled' }],
  ['no-noncurrent-expiration', { lifecycleRules: kept.lifecycleRules.map((r) => ({ ...r, noncurrentExpirationDays: undefined })) }],
  ['no-abort-multipart', { lifecycleRules: kept.lifecycleRules.map((r) => ({ ...r, abortIncompleteMultipartDays: undefined })) }],
  ['access-logging-off', { logging: null }],
  ['request-metrics-off', { metricsConfigurations: [{ id: 'DocumentsOnly', prefix: 'public/' }] }],
  ['no-test-prefix-lifecycle', { lifecycleRules: kept.lifecycleRules.filter((r) => r.id !== 'expire-test-files') }],
  [
    'standard-without-transition',
    { lifecycleRules: kept.lifecycleRules.map((r) => ({ ...r, transitions: [] })) },
    { storage: { byClass: [{ storageClass: 'STANDARD', bytes: 250e9 }] } },
  ],
];

describe('checkHygiene', () => {
  it('finds nothing on a bucket kept as the seed guide recommends', () => {
    expect(checkHygiene(input(kept))).toEqual([]);
  });

  it.each(firing)('%s fires on its condition alone, with why and a fix naming the command', (id, change, extra) => {
    const findings = checkHygiene(input({ ...kept, ...change }, extra));
    expect(findings.map((f) => f.id)).toEqual([id]);
    const [finding] = findings;
    expect(finding?.why.length).toBeGreaterThan(20);
    expect(finding?.fix).toContain('Console: S3 › ');
    expect(finding?.fix).toContain(`aws s3api `);
    expect(finding?.fix).toContain(`--bucket ${bucket}`);
  });

  it('flags every check on a bare Amplify bucket, most severe first', () => {
    const found = ids(input(bareFacts(), { storage: { byClass: [{ storageClass: 'STANDARD', bytes: 150e9 }] } }));
    expect(found).toEqual([
      'public-access-block-off',
      'no-default-encryption',
      'versioning-off',
      'no-abort-multipart',
      'access-logging-off',
      'request-metrics-off',
      'no-test-prefix-lifecycle',
      'standard-without-transition',
    ]);
    expect(checkHygiene(input(bareFacts()))[0]?.severity).toBe('critical');
  });

  it('rates Block Public Access partly off as a warning that names the flags', () => {
    const [finding] = checkHygiene(input({ ...kept, publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false } }));
    expect(finding?.severity).toBe('warning');
    expect(finding?.title).toContain('blockPublicPolicy, restrictPublicBuckets');
  });

  it('says "suspended" for suspended versioning and does not ask for noncurrent expiration then', () => {
    const found = checkHygiene(input({ ...kept, versioning: 'Suspended' }));
    expect(found.map((f) => f.id)).toEqual(['versioning-off']);
    expect(found[0]?.title).toBe('Versioning is suspended');
  });

  it('gives the exact request-metrics command with the configured filter id', () => {
    const [finding] = checkHygiene(input({ ...kept, metricsConfigurations: [] }, { requestMetricsFilterId: 'AllObjects' }));
    expect(finding?.fix).toContain(`aws s3api put-bucket-metrics-configuration --bucket ${bucket} --id AllObjects --metrics-configuration '{"Id":"AllObjects"}'`);
  });

  it('counts a whole-bucket expiration as covering the test prefix, and ignores disabled rules', () => {
    const wholeBucket = [{ id: 'expire-all', enabled: true, prefix: '', transitions: [], expirationDays: 365, abortIncompleteMultipartDays: 7, noncurrentExpirationDays: 30 }];
    expect(ids(input({ ...kept, lifecycleRules: wholeBucket }))).not.toContain('no-test-prefix-lifecycle');
    const disabled = kept.lifecycleRules.map((r) => ({ ...r, enabled: false }));
    expect(ids(input({ ...kept, lifecycleRules: disabled }))).toEqual(['no-noncurrent-expiration', 'no-abort-multipart', 'no-test-prefix-lifecycle']);
  });

  it('does not suggest Intelligent-Tiering for little data in STANDARD', () => {
    const noTransitions = kept.lifecycleRules.map((r) => ({ ...r, transitions: [] }));
    expect(ids(input({ ...kept, lifecycleRules: noTransitions }))).toEqual([]);
    expect(ids(input({ ...kept, lifecycleRules: noTransitions }, { storage: null }))).toEqual([]);
  });

  it('never judges a fact that could not be read', () => {
    const facts: BucketFacts = {
      ...bareFacts(),
      problems: [
        { fact: 'publicAccessBlock', message: 'denied' },
        { fact: 'encryption', message: 'denied' },
        { fact: 'lifecycleRules', message: 'denied' },
        { fact: 'logging', message: 'denied' },
        { fact: 'metricsConfigurations', message: 'denied' },
        { fact: 'versioning', message: 'denied' },
      ],
    };
    expect(ids(input(facts))).toEqual([]);
  });

  it('does not judge transfer acceleration', () => {
    expect(checkHygiene(input({ ...kept, transferAcceleration: null }))).toEqual([]);
    expect(checkHygiene(input({ ...kept, transferAcceleration: 'Suspended' }))).toEqual([]);
  });
});
