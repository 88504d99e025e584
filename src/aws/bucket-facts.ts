import {
  GetBucketAccelerateConfigurationCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketMetricsConfigurationsCommand,
  type LifecycleRule,
  type MetricsConfiguration,
  type ReplicationRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Logger } from '../lib/logger.js';
import { notAnsweredError, startCallDeadline, type CallOptions, type SdkCallOptions } from './deadlines.js';
import { isAwsError, toUserFacingError } from './errors.js';
import type {
  BucketFacts,
  BucketFactsPort,
  EncryptionFact,
  FactProblem,
  LifecycleRuleFact,
  LoggingFact,
  MetricsConfigurationFact,
  PublicAccessBlockFact,
  ReplicationFact,
} from './ports.js';

type FactName = FactProblem['fact'];

/** Reads a bucket's configuration with one concurrent S3 call per fact. */
export class S3BucketFacts implements BucketFactsPort {
  constructor(
    private readonly s3: S3Client,
    private readonly logger: Logger,
  ) {}

  /**
   * Every fact of the bucket; a fact that could not be read goes to `problems`, and so does one
   * S3 did not answer before the call's deadline (the facts that did answer are kept).
   */
  async getFacts(bucket: string, options: CallOptions = {}): Promise<BucketFacts> {
    const deadline = startCallDeadline(options);
    try {
      return await this.readFacts(bucket, deadline.sdk);
    } finally {
      deadline.stop();
    }
  }

  /** HeadBucket: false on 404 (no such bucket); an access denial means the bucket is there; other failures are thrown. */
  async exists(bucket: string, options: CallOptions = {}): Promise<boolean> {
    const deadline = startCallDeadline(options);
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }), deadline.sdk);
      return true;
    } catch (error) {
      // HeadBucket answers with no body, so the SDK names a 404 `NotFound` rather than `NoSuchBucket`.
      if (isAwsError(error, 'NotFound', 'NoSuchBucket')) return false;
      if (isAwsError(error, 'Forbidden', 'AccessDenied')) return true;
      if (deadline.signal.aborted) throw notAnsweredError('S3', 'HeadBucket', deadline.signal, error);
      throw toUserFacingError(error, { service: 'S3', operation: 'HeadBucket', bucket });
    } finally {
      deadline.stop();
    }
  }

  private async readFacts(bucket: string, sdk: SdkCallOptions): Promise<BucketFacts> {
    const problems: FactProblem[] = [];
    const read = <T>(fact: FactName, operation: string, notSetErrors: string[], notSet: T, call: () => Promise<T>) =>
      this.readFact(bucket, problems, { fact, operation, notSetErrors, notSet, call, signal: sdk.abortSignal });
    // Every call of this read shares its deadline.
    const s3 = { send: ((command: Parameters<S3Client['send']>[0]) => this.s3.send(command, sdk)) as S3Client['send'] };

    const [region, versioning, encryption, publicAccessBlock, policy, logging, lifecycleRules, replication, metricsConfigurations, transferAcceleration, tags] =
      await Promise.all([
        read('region', 'GetBucketLocation', [], null, async () =>
          regionOf((await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint),
        ),
        read('versioning', 'GetBucketVersioning', [], { status: 'Disabled' as const, mfaDelete: false }, async () => {
          const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
          const status = out.Status === 'Enabled' || out.Status === 'Suspended' ? out.Status : ('Disabled' as const);
          return { status, mfaDelete: out.MFADelete === 'Enabled' };
        }),
        read('encryption', 'GetBucketEncryption', ['ServerSideEncryptionConfigurationNotFoundError'], null, async () =>
          encryptionOf(await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
        ),
        read('publicAccessBlock', 'GetPublicAccessBlock', ['NoSuchPublicAccessBlockConfiguration'], null, async () =>
          publicAccessBlockOf(await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
        ),
        read('policyIsPublic', 'GetBucketPolicyStatus', ['NoSuchBucketPolicy'], { hasPolicy: false, isPublic: null as boolean | null }, async () => {
          const out = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
          return { hasPolicy: true, isPublic: out.PolicyStatus?.IsPublic ?? false };
        }),
        read('logging', 'GetBucketLogging', [], null as LoggingFact | null, async () => {
          const enabled = (await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled;
          if (!enabled?.TargetBucket) return null;
          const partitioned = enabled.TargetObjectKeyFormat?.PartitionedPrefix;
          const fact: LoggingFact = { targetBucket: enabled.TargetBucket, targetPrefix: enabled.TargetPrefix ?? '', partitioned: partitioned !== undefined };
          // An unset date source is EventTime, as AWS documents for PartitionedPrefix.
          if (partitioned) fact.partitionDateSource = partitioned.PartitionDateSource === 'DeliveryTime' ? 'DeliveryTime' : 'EventTime';
          return fact;
        }),
        read('lifecycleRules', 'GetBucketLifecycleConfiguration', ['NoSuchLifecycleConfiguration'], [] as LifecycleRuleFact[], async () =>
          ((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? []).map(lifecycleRuleOf),
        ),
        read('replication', 'GetBucketReplication', ['ReplicationConfigurationNotFoundError'], null as ReplicationFact | null, async () => {
          const config = (await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }))).ReplicationConfiguration;
          if (!config) return null;
          return { role: config.Role ?? '', rules: (config.Rules ?? []).map(replicationRuleOf) };
        }),
        read('metricsConfigurations', 'ListBucketMetricsConfigurations', [], [] as MetricsConfigurationFact[], () =>
          this.listMetricsConfigurations(bucket, sdk),
        ),
        read('transferAcceleration', 'GetBucketAccelerateConfiguration', [], null as 'Enabled' | 'Suspended' | null, async () => {
          const status = (await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: bucket }))).Status;
          return status === 'Enabled' || status === 'Suspended' ? status : null;
        }),
        read('tags', 'GetBucketTagging', ['NoSuchTagSet'], {} as Record<string, string>, async () => {
          const tagSet = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
          return Object.fromEntries(tagSet.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
        }),
      ]);

    return {
      bucket,
      region,
      versioning: versioning.status,
      mfaDelete: versioning.mfaDelete,
      encryption,
      publicAccessBlock,
      hasPolicy: policy.hasPolicy,
      policyIsPublic: policy.isPublic,
      logging,
      lifecycleRules,
      replication,
      metricsConfigurations,
      transferAcceleration,
      tags,
      problems,
    };
  }

  private async listMetricsConfigurations(bucket: string, sdk: SdkCallOptions): Promise<MetricsConfigurationFact[]> {
    const found: MetricsConfigurationFact[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }), sdk);
      found.push(...(page.MetricsConfigurationList ?? []).map(metricsConfigurationOf));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  private async readFact<T>(
    bucket: string,
    problems: FactProblem[],
    spec: { fact: FactName; operation: string; notSetErrors: string[]; notSet: T; call: () => Promise<T>; signal: AbortSignal },
  ): Promise<T> {
    try {
      return await spec.call();
    } catch (error) {
      if (isAwsError(error, ...spec.notSetErrors)) return spec.notSet;
      const userFacing = spec.signal.aborted
        ? notAnsweredError('S3', spec.operation, spec.signal, error)
        : toUserFacingError(error, { service: 'S3', operation: spec.operation, bucket });
      if (userFacing.code === 'aws_not_found') throw userFacing;
      this.logger.warn({ err: error, bucket, operation: spec.operation }, 'could not read a bucket fact');
      problems.push({ fact: spec.fact, message: userFacing.userMessage });
      return spec.notSet;
    }
  }
}

/** GetBucketLocation answers nothing for us-east-1 and `EU` for the oldest eu-west-1 buckets. */
export function regionOf(locationConstraint: string | undefined | null): string {
  if (!locationConstraint) return 'us-east-1';
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}

function encryptionOf(out: { ServerSideEncryptionConfiguration?: { Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[] } }): EncryptionFact | null {
  const rule = out.ServerSideEncryptionConfiguration?.Rules?.find((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  if (!rule || !byDefault?.SSEAlgorithm) return null;
  return {
    algorithm: byDefault.SSEAlgorithm,
    ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
    bucketKeyEnabled: rule.BucketKeyEnabled ?? false,
  };
}

function publicAccessBlockOf(out: { PublicAccessBlockConfiguration?: { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean } }): PublicAccessBlockFact | null {
  const config = out.PublicAccessBlockConfiguration;
  if (!config) return null;
  return {
    blockPublicAcls: config.BlockPublicAcls ?? false,
    ignorePublicAcls: config.IgnorePublicAcls ?? false,
    blockPublicPolicy: config.BlockPublicPolicy ?? false,
    restrictPublicBuckets: config.RestrictPublicBuckets ?? false,
  };
}

function lifecycleRuleOf(rule: LifecycleRule): LifecycleRuleFact {
  return {
    id: rule.ID ?? '',
    enabled: rule.Status === 'Enabled',
    prefix: rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '',
    transitions: (rule.Transitions ?? []).map((t) => ({
      ...(t.Days !== undefined ? { days: t.Days } : {}),
      storageClass: t.StorageClass ?? '',
    })),
    ...(rule.Expiration?.Days !== undefined ? { expirationDays: rule.Expiration.Days } : {}),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined
      ? { noncurrentExpirationDays: rule.NoncurrentVersionExpiration.NoncurrentDays }
      : {}),
    ...(rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined
      ? { abortIncompleteMultipartDays: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation }
      : {}),
  };
}

function replicationRuleOf(rule: ReplicationRule): ReplicationFact['rules'][number] {
  return {
    id: rule.ID ?? '',
    enabled: rule.Status === 'Enabled',
    // Destinations are bucket ARNs; a person knows the bucket by its name.
    destinationBucket: (rule.Destination?.Bucket ?? '').replace(/^arn:aws[a-z-]*:s3:::/, ''),
    prefix: rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '',
  };
}

function metricsConfigurationOf(config: MetricsConfiguration): MetricsConfigurationFact {
  const prefix = config.Filter?.Prefix ?? config.Filter?.And?.Prefix;
  return { id: config.Id ?? '', ...(prefix !== undefined ? { prefix } : {}) };
}
