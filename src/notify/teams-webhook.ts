/**
 * Posts to a Teams Workflows webhook. One POST per call: the delivery jobs retry (BullMQ), so
 * this client only says how an answer should be treated. The webhook URL carries its own secret
 * (`sig`), so no error or log line built here contains the URL.
 */
import { redactText } from '../config/redact.js';
import type { TeamsWebhookBody } from '../render/teams/index.js';

/** What Teams answered a POST. */
export interface TeamsAnswer {
  status: number;
  /** The answer's body, cut to 500 characters. */
  body: string;
}

/** A POST that did not go through: `retryable` for 429, 5xx and network failures; `retryAfterMs` from Retry-After. */
export class TeamsDeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TeamsDeliveryError';
  }
}

export interface TeamsWebhookOptions {
  url: string;
  /** One attempt's time limit. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** A Teams Workflows webhook: `post` resolves with Teams' answer on 2xx and throws `TeamsDeliveryError` otherwise. */
export class TeamsWebhook {
  constructor(private readonly options: TeamsWebhookOptions) {}

  async post(body: TeamsWebhookBody): Promise<TeamsAnswer> {
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new TeamsDeliveryError(`the Teams webhook did not answer (${this.scrub(String(cause))})`, null, true);
    }
    const text = this.scrub((await response.text().catch(() => '')).slice(0, 500));
    if (response.ok) return { status: response.status, body: text };
    const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), (this.options.now ?? (() => new Date()))());
    throw new TeamsDeliveryError(
      `the Teams webhook answered ${response.status}${text ? `: ${text}` : ''}`,
      response.status,
      retryable,
      retryAfterMs,
    );
  }

  private scrub(text: string): string {
    return redactText(text, [this.options.url, webhookSignature(this.options.url)]);
  }
}

/** The `sig` query parameter of a webhook URL (its secret), or undefined. */
export function webhookSignature(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('sig') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in milliseconds, from seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
