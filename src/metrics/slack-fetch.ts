import type { webApi } from '@slack/bolt';
import type { BotMetrics } from './definitions.js';

type FetchFunction = NonNullable<webApi.WebClientOptions['fetch']>;

/** How a Slack Web API request ended, as `s3chatops_slack_api_calls_total{outcome}` says it. */
export type SlackCallOutcome = 'ok' | 'error' | 'rate_limited' | 'http_error' | 'network_error';

/**
 * A `fetch` for `@slack/web-api` (its `fetch` client option) that counts every request by method
 * and outcome, and each 429 with the seconds Slack asked to wait. The client's own retries and
 * rate-limit handling stay in charge; this only watches them.
 */
export function countingSlackFetch(metrics: Pick<BotMetrics, 'slackCalls' | 'slackRateLimited' | 'slackRateLimitWait'>, base: FetchFunction = globalThis.fetch as unknown as FetchFunction): FetchFunction {
  return async (url, init) => {
    const method = slackMethodOf(url);
    let response: Awaited<ReturnType<FetchFunction>>;
    try {
      response = await base(url, init);
    } catch (error) {
      metrics.slackCalls.inc({ method, outcome: 'network_error' });
      throw error;
    }
    metrics.slackCalls.inc({ method, outcome: await outcomeOf(response, method) });
    if (response.status === 429) {
      metrics.slackRateLimited.inc({ method });
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) metrics.slackRateLimitWait.inc({ method }, retryAfter);
    }
    return response;
  };
}

/** `https://slack.com/api/chat.postMessage` → `chat.postMessage`; anything odd → `other`, so labels stay few. */
export function slackMethodOf(url: string | URL): string {
  const path = new URL(String(url), 'http://localhost').pathname;
  const method = path.slice(path.lastIndexOf('/') + 1);
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(method) ? method : 'other';
}

async function outcomeOf(response: Awaited<ReturnType<FetchFunction>>, method: string): Promise<SlackCallOutcome> {
  if (response.status === 429) return 'rate_limited';
  if (!response.ok) return 'http_error';
  // A response_url or webhook says a failure with its HTTP status; its body is not Web API JSON,
  // and copying it for nothing costs every answer sent.
  if (method === 'other') return 'ok';
  // Slack's Web API answers errors with 200 and `ok: false`; read a copy so the client still gets the body.
  const copy = (response as { clone?: () => { json(): Promise<unknown> } }).clone?.();
  if (!copy) return 'ok';
  try {
    const body = (await copy.json()) as { ok?: unknown };
    return body?.ok === false ? 'error' : 'ok';
  } catch {
    return 'ok';
  }
}
