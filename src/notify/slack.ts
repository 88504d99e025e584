/** The Slack Notifier: Block Kit through @slack/web-api, with the retries of its purpose (none for a delivery job). */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RetryOptions, WebClient, WebClientOptions } from '@slack/web-api';
import { createSlackWebClient, SLACK_RETRY_POLICIES, type SlackCallPurpose } from './slack-client.js';
import type { Message } from '../render/model.js';
import { renderSlack } from '../render/slack/index.js';
import type { DeliveryTag, MessageRef, Notifier } from './notifier.js';

export interface SlackNotifierOptions {
  token: string;
  channel: string;
  apiUrl?: string;
  /**
   * Who waits on the calls: `pipeline` (default) for a delivery job, whose attempts are the only
   * retries; `interactive` for the command line's `--post`, where a person waits.
   */
  purpose?: Extract<SlackCallPurpose, 'pipeline' | 'interactive'>;
  /** Overrides the purpose's retry policy (tests). */
  retryConfig?: RetryOptions;
  /** One attempt's time limit; `SLACK_CALL_TIMEOUT_MS` by default. */
  timeoutMs?: number;
  /** The client's `fetch`, e.g. `countingSlackFetch` to count calls and rate-limit waits in the metrics. */
  fetch?: WebClientOptions['fetch'];
}

/** The metadata event type on alert messages, so a message can be traced to its alert and version. */
export const ALERT_METADATA_TYPE = 's3_chatops_alert';

/**
 * Posts alert messages to one Slack channel. A call's `signal` stops its retries, if its policy has
 * any: a delivery that lost its alert's lock must not go on.
 */
export class SlackNotifier implements Notifier {
  private readonly client: WebClient;
  /** The signal of the call in progress, seen by the retry policy between attempts. */
  private readonly calls = new AsyncLocalStorage<AbortSignal | undefined>();

  constructor(private readonly options: SlackNotifierOptions) {
    const purpose = options.purpose ?? 'pipeline';
    this.client = createSlackWebClient(options.token, {
      purpose,
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
      retryConfig: this.stoppable(options.retryConfig ?? SLACK_RETRY_POLICIES[purpose]),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async post(message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<MessageRef> {
    const answer = await this.call(signal, () => this.client.chat.postMessage({ channel: this.options.channel, ...render(message), metadata: metadata(tag) }));
    return { channel: answer.channel ?? this.options.channel, ts: String(answer.ts) };
  }

  async update(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    await this.call(signal, () => this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...render(message), metadata: metadata(tag) }));
  }

  async reply(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    await this.call(signal, () => this.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, ...render(message), metadata: metadata(tag) }));
  }

  private call<T>(signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    return this.calls.run(signal, send);
  }

  /**
   * The retry policy, plus a check between attempts: the client hands the policy to p-retry,
   * whose `onFailedAttempt` ends the retries when it throws. An attempt already sent finishes.
   */
  private stoppable(policy: RetryOptions): RetryOptions {
    const own = (policy as { onFailedAttempt?: (error: Error) => unknown }).onFailedAttempt;
    return {
      ...policy,
      onFailedAttempt: async (error: Error) => {
        await own?.(error);
        this.calls.getStore()?.throwIfAborted();
      },
    } as RetryOptions;
  }
}

function render(message: Message): { text: string; blocks: never[] } {
  const { text, blocks } = renderSlack(message);
  return { text, blocks: blocks as never[] };
}

function metadata(tag: DeliveryTag) {
  return { event_type: ALERT_METADATA_TYPE, event_payload: { alert_id: tag.alertId, version: tag.version, kind: tag.kind } };
}
