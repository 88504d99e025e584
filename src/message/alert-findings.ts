/**
 * What an alert rule found, as data: the figures, the window, the threshold, who and what. Rules
 * (src/alerts/rules) return one of these and the alert state keeps it; `alert-wording.ts` alone
 * turns it into words. Findings are stored in Redis as JSON, so times are ISO strings and every
 * field is plain data. A field documented as neutral markup was worded by the layer that read it
 * (a gatherer's reason, CloudTrail's phrases, a test upload's failure) and is shown as such.
 */

/** `error-rate`: (4xx + 5xx) / requests over the `for` window. */
export interface ErrorRateFinding {
  rule: 'error-rate';
  /** The newest period's ratio; `null` when it had too few requests to judge. */
  rate: number | null;
  threshold: number;
  forMinutes: number;
  minRequests: number;
}

/** `server-errors`: 5xx responses in the newest period. */
export interface ServerErrorsFinding {
  rule: 'server-errors';
  /** 5xx responses in the newest period that arrived; `null` with no datapoint. */
  count: number | null;
  threshold: number;
  periodMinutes: number;
  /** Consecutive periods above the threshold that fire it. */
  periods: number;
}

/** `latency`: the newest minute's average TotalRequestLatency. */
export interface LatencyFinding {
  rule: 'latency';
  /** Milliseconds; `null` with no requests in the newest minute. */
  averageMs: number | null;
  thresholdMs: number;
  forMinutes: number;
}

/** `size-quota`: the newest daily size against the quota. */
export interface SizeQuotaFinding {
  rule: 'size-quota';
  /** The newest BucketSizeBytes (all storage types); `null` before the first datapoint. */
  bytes: number | null;
  quotaBytes: number;
  /** The share of the quota that fires it. */
  threshold: number;
}

/** `cost-budget`: month-to-date spend and the month-end estimate against the monthly budget. */
export interface CostBudgetFinding {
  rule: 'cost-budget';
  currency: string;
  monthToDate: number;
  monthEnd: number;
  /** `forecast` from Cost Explorer, or projected from the run rate. */
  monthEndSource: 'forecast' | 'run-rate';
  budget: number;
  /** The shares of the budget that fire it: spent to date, and forecast. */
  monthToDateThreshold: number;
  forecastThreshold: number;
}

/** `no-request-metrics`: whether the bucket has the request-metrics configuration the other rules read. */
export interface NoRequestMetricsFinding {
  rule: 'no-request-metrics';
  missing: boolean;
  bucket: string;
  filterId: string;
}

/** One denied request, as the access-denied alert names it. */
export interface DenialSeen {
  at: string;
  /** The requester as a person reads it (`assumed-role Deploy/ci-1234`, `anonymous`). */
  requesterLabel: string;
  ip: string | null;
  operation: string;
  /** The key, decoded; `''` for a bucket-level request. */
  key: string;
  errorCode: string | null;
}

/** `access-denied`: 403 answers in the server access log over a window, less the allow-listed requesters. */
export type AccessDeniedFinding =
  | {
      rule: 'access-denied';
      judged: true;
      count: number;
      threshold: number;
      windowMinutes: number;
      /** Denials left out by the allow-list. */
      allowed: number;
      /** The newest denials, newest first (a few; the rest are counted in `count`). */
      newest: DenialSeen[];
    }
  | {
      rule: 'access-denied';
      judged: false;
      /** Why the log was not read, in neutral markup; `null` when it was not gathered at all. */
      reason: string | null;
    };

/** One configuration change, as an alert or a report names it. */
export interface ChangeSeen {
  at: string;
  /** The API call, as CloudTrail names it (`PutBucketPolicy`). */
  call: string;
  principal: { label: string };
  sourceIp: string | null;
  /** The client, from the user agent (`AWS CLI 2.15.0`). */
  client: string;
  /** Set for a failed call: an attempt that changed nothing. */
  errorCode: string | null;
  /** What changed, in neutral markup, as CloudTrail's events were read. */
  phrases: string[];
  source: 'cloudtrail' | 'access-log';
}

/** `config-change`: risky configuration changes still standing. */
export type ConfigChangeFinding =
  | {
      rule: 'config-change';
      judged: true;
      windowHours: number;
      /** How many risky changes stand. */
      count: number;
      /** The newest of them, newest first (a few; the rest are counted in `count`). */
      newest: ChangeSeen[];
    }
  | {
      rule: 'config-change';
      judged: false;
      /** Why CloudTrail was not read, in neutral markup; `null` when it was not gathered at all. */
      reason: string | null;
    };

/** `test-upload`: how the scheduled test upload went. */
export interface TestUploadFinding {
  rule: 'test-upload';
  ok: boolean;
  totalMs: number;
  maxMs: number;
  /** The failed step and why (the reason in neutral markup, as the test upload words it). */
  failure: { step: string; message: string } | null;
}

/**
 * A line an earlier version worded itself and stored with the alert state, before states kept
 * findings: shown as it was stored, so alerts firing across an upgrade keep their messages.
 */
export interface StoredLineFinding {
  rule: 'stored-line';
  /** Neutral markup, as the earlier version wrote it. */
  text: string;
}

/** What any rule found, keyed by its rule. */
export type AlertFinding =
  | ErrorRateFinding
  | ServerErrorsFinding
  | LatencyFinding
  | SizeQuotaFinding
  | CostBudgetFinding
  | NoRequestMetricsFinding
  | AccessDeniedFinding
  | ConfigChangeFinding
  | TestUploadFinding
  | StoredLineFinding;
