/**
 * Ports: what the reports need from AWS, named by that need. Adapters in this folder implement
 * them over the AWS SDK; unit tests implement them with plain objects.
 */
import type { CachePort } from '../lib/cache.js';
import type { CallOptions } from './deadlines.js';

export type { CallOptions } from './deadlines.js';

/** A fact about a bucket that could not be read, and why, in words a person can act on. */
export interface FactProblem {
  fact: keyof Omit<BucketFacts, 'bucket' | 'problems'>;
  message: string;
}

export interface EncryptionFact {
  /** `AES256` is SSE-S3; `aws:kms` is SSE-KMS; `aws:kms:dsse` is dual-layer SSE-KMS. */
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | string;
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface PublicAccessBlockFact {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface LoggingFact {
  targetBucket: string;
  targetPrefix: string;
  /** Partitioned keys (`prefix/account/region/bucket/YYYY/mm/dd/…`) rather than simple ones. */
  partitioned: boolean;
  /**
   * Partitioned keys only: `EventTime` (AWS's default when unset) puts each object in the folder
   * of its events' day under a `YYYY-mm-DD-00-00-00` stamp; `DeliveryTime` uses the delivery time.
   */
  partitionDateSource?: 'EventTime' | 'DeliveryTime';
}

export interface LifecycleRuleFact {
  id: string;
  enabled: boolean;
  /** The prefix the rule applies to; `''` for the whole bucket. */
  prefix: string;
  transitions: { days?: number; storageClass: string }[];
  expirationDays?: number;
  noncurrentExpirationDays?: number;
  abortIncompleteMultipartDays?: number;
}

export interface ReplicationFact {
  role: string;
  rules: { id: string; enabled: boolean; destinationBucket: string; prefix: string }[];
}

export interface MetricsConfigurationFact {
  id: string;
  prefix?: string;
}

/**
 * What the S3 console shows about a bucket. A configuration that is not set reads as its
 * "not set" value (`null`, `[]`, `'Disabled'`); only a fact that could not be read goes to
 * `problems`, and then its field holds the "not set" value too.
 */
export interface BucketFacts {
  bucket: string;
  region: string | null;
  versioning: 'Enabled' | 'Suspended' | 'Disabled';
  mfaDelete: boolean;
  encryption: EncryptionFact | null;
  publicAccessBlock: PublicAccessBlockFact | null;
  hasPolicy: boolean;
  /** From GetBucketPolicyStatus; `null` where there is no policy or it could not be read. */
  policyIsPublic: boolean | null;
  logging: LoggingFact | null;
  lifecycleRules: LifecycleRuleFact[];
  replication: ReplicationFact | null;
  metricsConfigurations: MetricsConfigurationFact[];
  transferAcceleration: 'Enabled' | 'Suspended' | null;
  tags: Record<string, string>;
  problems: FactProblem[];
}

/**
 * Every port call is bounded by its own deadline (`AWS_CALL_DEADLINE_MS`) and by `options.signal`,
 * the deadline of the command it serves; past either it fails saying which service did not answer.
 */

/** Reads the configuration facts of one bucket, all at once. */
export interface BucketFactsPort {
  getFacts(bucket: string, options?: CallOptions): Promise<BucketFacts>;
  /** False when S3 says the bucket does not exist (HeadBucket: 404); true when it is there, readable or not. */
  exists?(bucket: string, options?: CallOptions): Promise<boolean>;
}

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified: Date;
  storageClass: string;
}

export interface ListNewestOptions {
  prefix?: string;
  /** How many of the newest objects to keep. */
  limit: number;
  /** Only objects modified at or after this time. */
  since?: Date;
  /** The most keys to read before stopping. */
  scanBudget: number;
}

export interface ListNewestResult {
  /** Newest first, at most `limit`. */
  objects: ObjectSummary[];
  /** Keys read. */
  scanned: number;
  /** True when the listing stopped at the scan budget with more keys left unread. */
  truncated: boolean;
}

/** Lists a bucket keeping only the newest objects in memory. */
export interface ObjectListingPort {
  listNewest(bucket: string, options: ListNewestOptions & CallOptions): Promise<ListNewestResult>;
}

export interface MetricQuery {
  /** Unique within one request; lower-case letter first, as CloudWatch requires. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  stat: 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount' | 'p50' | 'p90' | 'p99';
  periodSeconds: number;
}

export interface MetricPoint {
  timestamp: Date;
  value: number;
}

/** One metric's datapoints, oldest first. */
export interface MetricSeries {
  id: string;
  points: MetricPoint[];
}

/** Reads many metrics at once through GetMetricData (500 metrics a call). */
export interface MetricsPort {
  getMetricData(queries: MetricQuery[], range: { start: Date; end: Date }, options?: CallOptions): Promise<Map<string, MetricSeries>>;
}

export interface CostDay {
  /** `YYYY-MM-DD`, the day's start in UTC as Cost Explorer reports it. */
  date: string;
  total: number;
  /** Amount per group key (usage type, or `tagKey$value` for tags) when grouped. */
  groups: Record<string, number>;
}

export interface CostQuery {
  /** Inclusive `YYYY-MM-DD`. */
  start: string;
  /** Exclusive `YYYY-MM-DD`. */
  end: string;
  groupBy: { type: 'DIMENSION'; key: 'USAGE_TYPE' } | { type: 'TAG'; key: string };
}

export interface CostResult {
  days: CostDay[];
  currency: string;
  /** When the figures were fetched from Cost Explorer (they may come from the cache). */
  fetchedAt: Date;
}

export interface ForecastResult {
  amount: number;
  currency: string;
  fetchedAt: Date;
}

/** Reads S3 cost from Cost Explorer (each request is billed). */
export interface CostPort {
  getDailyCost(query: CostQuery, options?: CallOptions): Promise<CostResult>;
  /** Month-end forecast from GetCostForecast; `null` where the API has no answer. */
  getForecast(range: { start: string; end: string }, options?: CallOptions): Promise<ForecastResult | null>;
}

/** A server access log object as listed. */
export interface LogObjectSummary {
  key: string;
  /** Log objects are written once, so key and ETag name their content for good. */
  etag: string;
  size: number;
  lastModified: Date;
}

/** One page of a log-bucket listing: objects in key order, and the folders when a delimiter was given. */
export interface LogObjectPage {
  objects: LogObjectSummary[];
  commonPrefixes: string[];
}

export interface ListLogObjectsOptions {
  prefix: string;
  /** List only keys after this one (ListObjectsV2 `StartAfter`), so the cost follows the window. */
  startAfter?: string;
  /** `/` lists the folders under `prefix` instead of descending into them. */
  delimiter?: string;
}

/** Lists a log bucket from a start key and reads one log object as a stream. */
export interface LogObjectsPort {
  list(bucket: string, options: ListLogObjectsOptions & CallOptions): AsyncIterable<LogObjectPage>;
  /** The object's bytes as they arrive. */
  read(bucket: string, key: string, options?: CallOptions): Promise<AsyncIterable<Uint8Array>>;
}

/** What reading server access logs needs: the log objects, and where the counts of each are kept. */
export interface AccessLogPorts {
  objects: LogObjectsPort;
  /** Per-log-object counts, keyed by key and ETag (Redis in production). */
  countsCache: CachePort;
  /**
   * Runs each log object read, shared by every window of the process, so several long windows at
   * once (six people asking) read a bounded number of objects together; absent: each window alone.
   */
  readSlots?: <T>(read: () => Promise<T>) => Promise<T>;
}

/** One CloudTrail management event as LookupEvents returns it; `record` is the event's JSON as CloudTrail wrote it. */
export interface TrailRecord {
  eventId: string;
  eventName: string;
  eventTime: Date;
  /** The `CloudTrailEvent` string: parsed by `src/cloudtrail/`, never trusted to hold any field. */
  record: string;
}

export interface TrailQuery {
  start: Date;
  end: Date;
}

/** The management events about one bucket (CloudTrail LookupEvents by resource name), newest first. */
export interface ManagementEventsPort {
  bucketEvents(bucket: string, query: TrailQuery, options?: CallOptions): Promise<TrailRecord[]>;
}

/** A bucket's account (absent: the bot's own) and region. */
export interface BucketPlace {
  account?: string;
  region: string;
}

/** Where each bucket lives, so reports can group a fleet and point links at the right region. */
export interface PlacementPort {
  placeOf(bucket: string, options?: CallOptions): Promise<BucketPlace>;
}

/** Everything the reports read from AWS, injected. */
export interface AwsPorts {
  /** Where each bucket lives; absent where an entry point does not know (one account, one region). */
  placement?: PlacementPort;
  facts: BucketFactsPort;
  listing: ObjectListingPort;
  metrics: MetricsPort;
  costs: CostPort;
  /** Server access logs; absent where an entry point does not offer them (the reports fall back to the listing). */
  accessLogs?: AccessLogPorts;
  /** CloudTrail management events; absent where an entry point does not offer them (reports then leave who-changed-what out). */
  trail?: ManagementEventsPort;
}
