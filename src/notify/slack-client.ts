/**
 * Every `@slack/web-api` client of the product is built here (a test over the source keeps it so),
 * so each has a deadline per call and one of four documented retry policies: this file's table is
 * the one place a Slack call's bound is set. `timeout` bounds one HTTP attempt (the client aborts
 * its fetch with `AbortSignal.timeout`); a timed-out attempt is retried like a network error, so a
 * call's whole bound is about (retries + 1) × timeout plus the waits between attempts. A 429 waits
 * out `Retry-After` (and takes one of the retries) unless the policy rejects rate-limited calls.
 */
import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';

/** How long one Slack Web API attempt (or one `response_url` POST) may take before it is aborted. */
export const SLACK_CALL_TIMEOUT_MS = 5_000;

/**
 * Who waits on the call, and so how long it may keep trying:
 * - `interactive`: a person pressed a button or asked a question: 2 retries, a call ends within about 20 s;
 * - `pipeline`: an alert delivery job: one attempt, a 429 rejected at once with its Retry-After:
 *   the job's attempts are the one retry layer (see `notify/delivery-schedule.ts`);
 * - `background`: the other posts nobody waits on (the digest, a cleanup's progress, summary and
 *   audit line): 3 retries 1 s, 2 s, 4 s apart, a 429 waited out: a call ends within about 30 s
 *   plus any Retry-After. A blip or a rate limit is ridden out inside the call; a longer outage
 *   is the job's to retry (the digest job's attempts resume from its ledger) or is logged and
 *   skipped (a cleanup's messages never hold its deletions up, and never fail its job);
 * - `probe`: a readiness or start-up check: one attempt, rate limits rejected.
 */
export type SlackCallPurpose = 'interactive' | 'pipeline' | 'background' | 'probe';

/** The retry policy of each purpose; `@slack/web-api`'s `retryPolicies` are written out (not an ES export). */
export const SLACK_RETRY_POLICIES: Readonly<Record<SlackCallPurpose, RetryOptions>> = {
  interactive: { retries: 2, minTimeout: 500, maxTimeout: 2_000 },
  pipeline: { retries: 0 },
  background: { retries: 3, factor: 2, minTimeout: 1_000, maxTimeout: 10_000 },
  probe: { retries: 0 },
};

/** Purposes whose 429s are rejected at once (with Retry-After) rather than waited out inside the call. */
const REJECTS_RATE_LIMITS: ReadonlySet<SlackCallPurpose> = new Set(['pipeline', 'probe']);

type FetchFunction = NonNullable<WebClientOptions['fetch']>;

export interface SlackClientSettings {
  purpose: SlackCallPurpose;
  /** Slack's Web API base URL (tests: the fake Slack). */
  apiUrl?: string;
  /** The fetch underneath, e.g. `countingSlackFetch`; it is given the per-request deadline. */
  fetch?: FetchFunction;
  /** Overrides the purpose's retry policy: only an alert delivery's lock-aware policy, and tests'. */
  retryConfig?: RetryOptions;
  /** Overrides `SLACK_CALL_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** The `WebClientOptions` of a purpose: per-attempt timeout, retry policy and a fetch that never waits unbounded. */
export function slackClientOptions(settings: SlackClientSettings): WebClientOptions {
  const timeoutMs = settings.timeoutMs ?? SLACK_CALL_TIMEOUT_MS;
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: settings.retryConfig ?? SLACK_RETRY_POLICIES[settings.purpose],
    timeout: timeoutMs,
    // Bolt's `respond` posts to response_url through this same fetch, with no signal of its own.
    fetch: fetchWithDeadline(settings.fetch ?? (globalThis.fetch as unknown as FetchFunction), timeoutMs),
    rejectRateLimitedCalls: REJECTS_RATE_LIMITS.has(settings.purpose),
  };
}

/** A `WebClient` for `token` with the purpose's deadline and retry policy. */
export function createSlackWebClient(token: string | undefined, settings: SlackClientSettings): WebClient {
  return new WebClient(token, slackClientOptions(settings));
}

/** `base`, with `AbortSignal.timeout(timeoutMs)` on every request that brings no signal of its own. */
export function fetchWithDeadline(base: FetchFunction, timeoutMs: number): FetchFunction {
  return (url, init) => base(url, init?.signal ? init : { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
