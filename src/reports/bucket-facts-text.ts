/** How each bucket fact reads in a message, shared by status and the digest. */
import type { BucketFacts, EncryptionFact, LifecycleRuleFact, PublicAccessBlockFact } from '../aws/ports.js';
import { code } from '../message/markup.js';

/** `SSE-S3`, `SSE-KMS (key …), bucket key on`, or `None`. */
export function encryptionText(enc: EncryptionFact | null): string {
  if (enc === null) return 'None';
  const name =
    enc.algorithm === 'AES256' ? 'SSE-S3' : enc.algorithm === 'aws:kms' ? 'SSE-KMS' : enc.algorithm === 'aws:kms:dsse' ? 'DSSE-KMS' : enc.algorithm;
  const key = enc.kmsKeyId ? ` (key ${code(enc.kmsKeyId)})` : '';
  const bucketKey = enc.algorithm === 'AES256' ? '' : `, bucket key ${enc.bucketKeyEnabled ? 'on' : 'off'}`;
  return `${name}${key}${bucketKey}`;
}

/** All four Block Public Access flags. */
export function publicAccessBlockText(pab: PublicAccessBlockFact | null): string {
  if (pab === null) return '**Off** (no settings)';
  const flags: [string, boolean][] = [
    ['BlockPublicAcls', pab.blockPublicAcls],
    ['IgnorePublicAcls', pab.ignorePublicAcls],
    ['BlockPublicPolicy', pab.blockPublicPolicy],
    ['RestrictPublicBuckets', pab.restrictPublicBuckets],
  ];
  if (flags.every(([, on]) => on)) return 'All four on';
  return flags.map(([name, on]) => `${name} ${on ? 'on' : '**off**'}`).join(', ');
}

/** Whether the policy makes the bucket public. */
export function policyText(facts: Pick<BucketFacts, 'hasPolicy' | 'policyIsPublic'>): string {
  if (!facts.hasPolicy) return 'No bucket policy';
  if (facts.policyIsPublic === true) return '**Public**';
  if (facts.policyIsPublic === false) return 'Not public';
  return 'Set (public status unknown)';
}

/** `On → target/prefix`, or `Off`. */
export function loggingText(logging: BucketFacts['logging']): string {
  if (logging === null) return 'Off';
  return `On → ${code(`${logging.targetBucket}/${logging.targetPrefix}`)}${logging.partitioned ? ' (partitioned)' : ''}`;
}

/** `Off`, or the rules and their destinations. */
export function replicationText(replication: BucketFacts['replication']): string {
  if (replication === null || replication.rules.length === 0) return 'Off';
  const enabled = replication.rules.filter((r) => r.enabled);
  const destinations = [...new Set(enabled.map((r) => r.destinationBucket.replace(/^arn:aws:s3:::/, '')))];
  return `${enabled.length} of ${replication.rules.length} rules on${destinations.length ? ` → ${destinations.map(code).join(', ')}` : ''}`;
}

/** One line for a lifecycle rule: its scope and what it does. */
export function lifecycleRuleText(rule: LifecycleRuleFact): string {
  const actions = [
    ...rule.transitions.map((t) => `→ ${t.storageClass}${t.days !== undefined ? ` after ${t.days} d` : ''}`),
    rule.expirationDays !== undefined ? `expire after ${rule.expirationDays} d` : '',
    rule.noncurrentExpirationDays !== undefined ? `noncurrent versions expire after ${rule.noncurrentExpirationDays} d` : '',
    rule.abortIncompleteMultipartDays !== undefined ? `abort incomplete uploads after ${rule.abortIncompleteMultipartDays} d` : '',
  ].filter(Boolean);
  const scope = rule.prefix === '' ? 'whole bucket' : `prefix ${code(rule.prefix)}`;
  return `${code(rule.id || '(no id)')}${rule.enabled ? '' : ' (disabled)'}, ${scope}: ${actions.join('; ') || 'no actions'}`;
}

/** Names the facts as the S3 console does. */
export const FACT_NAMES: Record<BucketFacts['problems'][number]['fact'], string> = {
  region: 'Region',
  versioning: 'Versioning',
  mfaDelete: 'MFA delete',
  encryption: 'Default encryption',
  publicAccessBlock: 'Block Public Access',
  hasPolicy: 'Bucket policy',
  policyIsPublic: 'Policy status',
  logging: 'Server access logging',
  lifecycleRules: 'Lifecycle rules',
  replication: 'Replication',
  metricsConfigurations: 'Request metrics',
  transferAcceleration: 'Transfer acceleration',
  tags: 'Tags',
};
