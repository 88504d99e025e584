/**
 * What a bucket-configuration call changed, in words, from its CloudTrail `requestParameters`
 * (the request body as CloudTrail parsed it) and what earlier calls in the same answer tell of
 * the state before. Every phrase is neutral markup: values from the request go through `code()`
 * or `lit()`.
 */
import { code, lit } from '../message/markup.js';

import { RISKY_CHANGES, type RiskyChange } from '../config/risky-changes.js';

export { RISKY_CHANGES, type RiskyChange };

/** The setting a call is about: the newest call about a setting says how it stands. */
export type BucketSetting = 'public-access-block' | 'policy' | 'acl' | 'encryption' | 'logging' | 'versioning' | 'lifecycle' | 'bucket' | 'tags' | 'replication' | 'other';

/** What earlier calls in the answer say of the settings, where they tell. */
export interface KnownState {
  publicAccessBlock?: Record<PublicAccessFlag, boolean>;
  versioning?: string;
  lifecycleRuleIds?: string[];
}

export interface ChangeDescription {
  setting: BucketSetting;
  /** Neutral markup, one phrase per thing changed; empty where the request says nothing more than its name. */
  phrases: string[];
  /** The risky changes this call made (none for a call that failed). */
  risks: RiskyChange[];
  /** The state after the call, for the next call's description. */
  after: KnownState;
}

const PUBLIC_ACCESS_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
type PublicAccessFlag = (typeof PUBLIC_ACCESS_FLAGS)[number];

const ALL_USERS = /\/groups\/global\/AllUsers$/;
const AUTHENTICATED_USERS = /\/groups\/global\/AuthenticatedUsers$/;
const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

type Params = Record<string, unknown>;

function obj(value: unknown): Params {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Params) : {};
}

/** CloudTrail writes one repeated XML element as an object and several as an array. */
function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Describes one call; `failed` calls change nothing and carry no risk. */
export function describeChange(eventName: string, requestParameters: unknown, before: KnownState, failed: boolean): ChangeDescription {
  const params = obj(requestParameters);
  const described = describe(eventName, params, before);
  if (failed) return { ...described, risks: [], after: before };
  return described;
}

function describe(eventName: string, params: Params, before: KnownState): ChangeDescription {
  const same = (setting: BucketSetting, phrases: string[], risks: RiskyChange[] = []): ChangeDescription => ({ setting, phrases, risks, after: before });
  switch (eventName) {
    case 'PutPublicAccessBlock':
      return publicAccessBlock(obj(params.PublicAccessBlockConfiguration), before);
    case 'DeletePublicAccessBlock': {
      const off = Object.fromEntries(PUBLIC_ACCESS_FLAGS.map((f) => [f, false])) as Record<PublicAccessFlag, boolean>;
      return { setting: 'public-access-block', phrases: ['Block Public Access removed: all four settings off'], risks: ['public-access-block-off'], after: { ...before, publicAccessBlock: off } };
    }
    case 'PutBucketPolicy':
      return policy(params.bucketPolicy, before);
    case 'DeleteBucketPolicy':
      return same('policy', ['bucket policy deleted']);
    case 'PutBucketAcl':
      return acl(params, before);
    case 'PutBucketEncryption':
      return same('encryption', [encryptionPhrase(params)]);
    case 'DeleteBucketEncryption':
      return same('encryption', ['default encryption removed'], ['encryption-removed']);
    case 'PutBucketVersioning':
      return versioning(obj(params.VersioningConfiguration), before);
    case 'PutBucketLifecycle':
    case 'PutBucketLifecycleConfiguration':
      return lifecycle(obj(params.LifecycleConfiguration), before);
    case 'DeleteBucketLifecycle':
      return {
        setting: 'lifecycle',
        phrases: before.lifecycleRuleIds?.length ? before.lifecycleRuleIds.map((id) => `lifecycle rule ${code(id)} removed`) : ['lifecycle configuration deleted: every rule removed'],
        risks: [],
        after: { ...before, lifecycleRuleIds: [] },
      };
    case 'PutBucketLogging': {
      const enabled = obj(obj(params.BucketLoggingStatus).LoggingEnabled);
      const target = str(enabled.TargetBucket);
      if (!target) return same('logging', ['server access logging off'], ['logging-off']);
      return same('logging', [`server access logging on, to ${code(`${target}/${str(enabled.TargetPrefix) ?? ''}`)}`]);
    }
    case 'DeleteBucket':
      return same('bucket', ['bucket deleted'], ['bucket-deleted']);
    case 'CreateBucket':
      return same('bucket', ['bucket created']);
    case 'PutBucketTagging':
      return same('tags', ['tags replaced']);
    case 'DeleteBucketTagging':
      return same('tags', ['tags deleted']);
    case 'PutBucketReplication':
      return same('replication', ['replication configuration set']);
    case 'DeleteBucketReplication':
      return same('replication', ['replication configuration deleted']);
    default:
      return same('other', []);
  }
}

function publicAccessBlock(config: Params, before: KnownState): ChangeDescription {
  // A flag left out of the request is set off, as S3 reads it.
  const now = Object.fromEntries(PUBLIC_ACCESS_FLAGS.map((f) => [f, flag(config[f])])) as Record<PublicAccessFlag, boolean>;
  const was = before.publicAccessBlock;
  const onOff = (on: boolean) => (on ? 'on' : 'off');
  let phrases: string[];
  if (was) {
    const changed = PUBLIC_ACCESS_FLAGS.filter((f) => was[f] !== now[f]).map((f) => `${f} ${onOff(was[f])} → ${onOff(now[f])}`);
    phrases = [changed.length ? `Block Public Access: ${changed.join(', ')}` : 'Block Public Access: set again, unchanged'];
  } else {
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => !now[f]);
    phrases = [off.length === 0 ? 'Block Public Access: all four settings on' : `Block Public Access: ${off.map((f) => `${f} off`).join(', ')}`];
  }
  const risks: RiskyChange[] = PUBLIC_ACCESS_FLAGS.some((f) => !now[f]) ? ['public-access-block-off'] : [];
  return { setting: 'public-access-block', phrases, risks, after: { ...before, publicAccessBlock: now } };
}

/** The policy document as CloudTrail records it: parsed JSON, or the text when it did not parse. */
function policyDocument(value: unknown): Params {
  if (typeof value === 'string') {
    try {
      return obj(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return obj(value);
}

function isAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = obj(principal).AWS;
  return list(aws).includes('*');
}

function policy(value: unknown, before: KnownState): ChangeDescription {
  const statements = list(policyDocument(value).Statement).map(obj);
  const open = statements.filter((s) => s.Effect === 'Allow' && isAnyone(s.Principal));
  if (open.length === 0) {
    return { setting: 'policy', phrases: [`bucket policy replaced (${statements.length} statement${statements.length === 1 ? '' : 's'})`], risks: [], after: before };
  }
  const unconditioned = open.filter((s) => s.Condition === undefined || Object.keys(obj(s.Condition)).length === 0);
  const actions = [...new Set(open.flatMap((s) => list(s.Action).map((a) => str(a) ?? '')).filter((a) => a !== ''))];
  const what = actions.length ? ` to ${actions.slice(0, 3).map(code).join(', ')}${actions.length > 3 ? ` and ${actions.length - 3} more` : ''}` : '';
  if (unconditioned.length === 0) {
    return { setting: 'policy', phrases: [`bucket policy now allows ${code('*')}${what} under a condition`], risks: [], after: before };
  }
  return { setting: 'policy', phrases: [`bucket policy now allows ${code('*')}${what}`], risks: ['public-policy'], after: before };
}

function acl(params: Params, before: KnownState): ChangeDescription {
  const canned = list(params['x-amz-acl']).map((v) => str(v) ?? '')[0];
  if (canned) {
    return { setting: 'acl', phrases: [`ACL now ${code(canned)}`], risks: PUBLIC_CANNED_ACLS.has(canned) ? ['public-acl'] : [], after: before };
  }
  const grants = list(obj(obj(params.AccessControlPolicy).AccessControlList).Grant).map(obj);
  const publicGrants = grants
    .map((g) => ({ uri: str(obj(g.Grantee).URI) ?? '', permission: str(g.Permission) ?? '?' }))
    .filter((g) => ALL_USERS.test(g.uri) || AUTHENTICATED_USERS.test(g.uri));
  if (publicGrants.length === 0) return { setting: 'acl', phrases: ['ACL replaced, no public grant'], risks: [], after: before };
  const phrases = publicGrants.map((g) => `ACL grants ${code(g.permission)} to ${ALL_USERS.test(g.uri) ? 'everyone (AllUsers)' : 'any AWS account (AuthenticatedUsers)'}`);
  return { setting: 'acl', phrases, risks: ['public-acl'], after: before };
}

function encryptionPhrase(params: Params): string {
  const rule = obj(list(obj(params.ServerSideEncryptionConfiguration).Rule)[0]);
  const byDefault = obj(rule.ApplyServerSideEncryptionByDefault);
  const algorithm = str(byDefault.SSEAlgorithm);
  const key = str(byDefault.KMSMasterKeyID);
  const name = algorithm === 'AES256' ? 'SSE-S3' : algorithm === 'aws:kms' ? 'SSE-KMS' : algorithm === 'aws:kms:dsse' ? 'DSSE-KMS' : algorithm ? code(algorithm) : 'a new setting';
  return `default encryption set to ${name}${key ? ` with key ${code(key)}` : ''}`;
}

function versioning(config: Params, before: KnownState): ChangeDescription {
  const status = str(config.Status);
  const mfa = str(config.MfaDelete);
  const phrases: string[] = [];
  if (status) {
    // Versioning can only be suspended once enabled: a suspension's before is known either way.
    const was = before.versioning ?? (status === 'Suspended' ? 'Enabled' : undefined);
    phrases.push(was ? `versioning ${lit(was)} → ${lit(status)}` : `versioning ${lit(status)}`);
  }
  if (mfa) phrases.push(`MFA delete ${lit(mfa)}`);
  const after: KnownState = status ? { ...before, versioning: status } : before;
  return { setting: 'versioning', phrases, risks: status === 'Suspended' ? ['versioning-suspended'] : [], after };
}

function lifecycle(config: Params, before: KnownState): ChangeDescription {
  const ids = list(config.Rule).map((r) => str(obj(r).ID) ?? '').filter((id) => id !== '');
  const was = before.lifecycleRuleIds;
  let phrases: string[];
  if (was) {
    const removed = was.filter((id) => !ids.includes(id)).map((id) => `lifecycle rule ${code(id)} removed`);
    const added = ids.filter((id) => !was.includes(id)).map((id) => `lifecycle rule ${code(id)} added`);
    phrases = removed.length + added.length ? [...removed, ...added] : ['lifecycle rules replaced, the same rules by name'];
  } else {
    phrases = [ids.length ? `lifecycle rules set: ${ids.map(code).join(', ')}` : 'lifecycle rules set'];
  }
  return { setting: 'lifecycle', phrases, risks: [], after: { ...before, lifecycleRuleIds: ids } };
}
