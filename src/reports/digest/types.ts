/**
 * The daily digest's data (SPEC section 5) and the ports it reads besides AWS. Each part of a
 * bucket's figures either has a value or says why it is missing, so one unreadable source never
 * keeps the rest of the digest from being posted.
 */
import type { BucketChange } from '../../cloudtrail/bucket-changes.js';
import type { Message } from '../../message/model.js';
import type { CostsFigures } from '../costs.js';
import type { HygieneFinding } from '../hygiene.js';
import type { StorageFigures } from '../s3-metrics.js';
import type { RequestMetricsState } from '../status.js';
import type { BucketRef } from '../types.js';

/** Alerts of one bucket over the digest's day; implemented by the alert state store. */
export interface DigestAlertSummary {
  fired: number;
  resolved: number;
  /** Alerts firing at the time of the digest. */
  firing: { rule: string; since: Date }[];
}

/** Where the digest reads alert history from; the alerts engineer's store implements it. */
export interface DigestAlertSource {
  summary(bucket: string, since: Date): Promise<DigestAlertSummary>;
}

/** Scheduled test uploads of one bucket over the digest's day. */
export interface DigestTestUploadSummary {
  runs: number;
  failures: number;
  /** The slowest run's total time, when there was one. */
  slowestMs?: number;
}

/** Where the digest reads test upload results from; the test-upload issue implements it. */
export interface DigestTestUploadSource {
  summary(bucket: string, since: Date): Promise<DigestTestUploadSummary>;
}

/** Inputs the digest takes when they exist; left out, the digest says "not available". */
export interface DigestSources {
  alerts?: DigestAlertSource;
  testUploads?: DigestTestUploadSource;
}

/** A figure that was read, or why it was not: `missing` for a source not built yet, `failed` for an error. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: 'missing' | 'failed'; problem: string };

export interface DigestUploads {
  /** Objects modified in the last 24 h among the keys listed; with an access log, uploads that succeeded. */
  count: number;
  bytes: number;
  /** Keys the listing read (0 when the figures come from the access log). */
  scanned: number;
  /** True when the listing stopped at its scan budget or its count cap: the count is a floor. */
  atLeast: boolean;
  /** Who uploaded, what failed and who was denied, where the bucket's server access log could be read. */
  accessLog?: DigestAccessLog;
  /** Why the access log was not used although logging is on (the figures then come from the listing). */
  accessLogProblem?: string;
}

/** The day's uploads and denials from a bucket's server access log. */
export interface DigestAccessLog {
  /** Upload requests that failed (4xx/5xx), including failed parts of multipart uploads. */
  failed: number;
  /** Upload requests by requester (readable form), most first. */
  byRequester: { requester: string; uploads: number; failed: number }[];
  /** Requests answered 403, by requester (readable form), most first. */
  denied: { count: number; byRequester: { label: string; count: number }[] };
  /** The newest record in the log objects read: how fresh these figures are. */
  newestRecordAt: Date | null;
  /** Where the read stopped when the log was larger than its read budget; absent when the whole day was read. */
  readStopped?: string;
}

export interface DigestRequests {
  state: RequestMetricsState;
  requests: number;
  errors4xx: number;
  errors5xx: number;
  errorRate: number | null;
  /** Average TotalRequestLatency over the day; `null` with no samples. */
  latencyAverageMs: number | null;
}

export interface DigestBucket {
  bucket: BucketRef;
  quotaBytes?: number;
  storage: Part<StorageFigures>;
  uploads: Part<DigestUploads>;
  requests: Part<DigestRequests>;
  alerts: Part<DigestAlertSummary>;
  testUploads: Part<DigestTestUploadSummary>;
  /** Hygiene findings, most severe first. */
  hygiene: Part<HygieneFinding[]>;
  /** The day's configuration changes from CloudTrail, newest first; absent where CloudTrail is not offered. */
  changes?: Part<BucketChange[]>;
}

export interface DigestData {
  generatedAt: Date;
  /** The start of the digest's day: 24 h before `generatedAt`. */
  since: Date;
  /** The local date the digest is for, and the zone it is written in. */
  day: string;
  timeZone: string;
  buckets: DigestBucket[];
  cost: Part<CostsFigures>;
  /** The scan budget each bucket's listing had, for the note on upload counts. */
  uploadScanBudget: number;
  /** CloudWatch queries asked, all in one port call (the adapter sends 500 to a GetMetricData call). */
  metricQueries: number;
}

/** The digest as posted: one message in the channel, and per-bucket detail in its thread when the fleet is large. */
export interface DigestReport {
  main: Message;
  thread: Message[];
}
