/**
 * Denied requests (HTTP 403) in a window of access log lines: what the `access-denied` alert
 * rule needs, as a pure function so the rule, the digest and tests share it.
 */
import type { RequestLine } from './counts.js';
import { decodeLoggedKey, readableRequester } from './requester.js';

export interface DeniedOptions {
  /**
   * Requesters whose denials are known noise. Each entry matches the logged requester (an ARN,
   * a canonical id, `anonymous` for `-`) or its readable form; a trailing `*` matches a prefix.
   */
  allowList?: readonly string[];
  /** How many denials fire the rule; default 1 (any 403). */
  threshold?: number;
}

export interface DeniedRequest {
  time: Date;
  /** The requester as logged (`null` for anonymous) and as a person reads it. */
  requester: string | null;
  requesterLabel: string;
  ip: string | null;
  operation: string;
  /** The key, decoded; `''` for bucket-level requests. */
  key: string;
  errorCode: string | null;
}

export interface DeniedFinding {
  /** Denials not on the allow-list. */
  count: number;
  threshold: number;
  /** True when `count` reaches the threshold. */
  fires: boolean;
  /** Those denials, oldest first. */
  requests: DeniedRequest[];
  /** Denials left out by the allow-list. */
  allowed: number;
}

/** True when an allow-list entry (exact, or ending `*` for a prefix) names one of `values`. */
export function matches(entry: string, values: readonly string[]): boolean {
  if (entry.endsWith('*')) {
    const prefix = entry.slice(0, -1);
    return values.some((v) => v.startsWith(prefix));
  }
  return values.includes(entry);
}

/** The 403s among `records` not on the allow-list, and whether they reach the threshold. */
export function findDeniedRequests(records: readonly RequestLine[], options: DeniedOptions = {}): DeniedFinding {
  const allowList = options.allowList ?? [];
  const threshold = Math.max(1, options.threshold ?? 1);
  const requests: DeniedRequest[] = [];
  let allowed = 0;
  for (const r of records) {
    if (r.status !== 403) continue;
    const label = readableRequester(r.requester);
    const names = [r.requester ?? 'anonymous', label];
    if (allowList.some((entry) => matches(entry, names))) {
      allowed += 1;
      continue;
    }
    requests.push({ time: new Date(r.t), requester: r.requester, requesterLabel: label, ip: r.ip, operation: r.op, key: decodeLoggedKey(r.key), errorCode: r.error });
  }
  requests.sort((a, b) => a.time.getTime() - b.time.getTime());
  return { count: requests.length, threshold, fires: requests.length >= threshold, requests, allowed };
}
