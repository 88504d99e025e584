/** The Slack Notifier: Block Kit through @slack/web-api, whose retries honour 429 Retry-After and retry 5xx. */
import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import type { Message } from '../render/model.js';
import { renderSlack } from '../render/slack/index.js';
import type { DeliveryTag, MessageRef, Notifier } from './notifier.js';

export interface SlackNotifierOptions {
  token: string;
  channel: string;
  apiUrl?: string;
  /** @slack/web-api's retry policy; its default retries for about 30 minutes. */
  retryConfig?: RetryOptions;
  /** One attempt's time limit. */
  timeoutMs?: number;
  /** The client's `fetch`, e.g. `countingSlackFetch` to count calls and rate-limit waits in the metrics. */
  fetch?: WebClientOptions['fetch'];
}

/** The metadata event type on alert messages, so a message can be traced to its alert and version. */
export const ALERT_METADATA_TYPE = 's3_chatops_alert';

/** Posts alert messages to one Slack channel. */
export class SlackNotifier implements Notifier {
  private readonly client: WebClient;

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = new WebClient(options.token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      timeout: options.timeoutMs ?? 10_000,
      // Wait out Retry-After and try again rather than fail the delivery.
      rejectRateLimitedCalls: false,
    });
  }

  async post(message: Message, tag: DeliveryTag): Promise<MessageRef> {
    const answer = await this.client.chat.postMessage({ channel: this.options.channel, ...render(message), metadata: metadata(tag) });
    return { channel: answer.channel ?? this.options.channel, ts: String(answer.ts) };
  }

  async update(ref: MessageRef, message: Message, tag: DeliveryTag): Promise<void> {
    await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...render(message), metadata: metadata(tag) });
  }

  async reply(ref: MessageRef, message: Message, tag: DeliveryTag): Promise<void> {
    await this.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, ...render(message), metadata: metadata(tag) });
  }
}

function render(message: Message): { text: string; blocks: never[] } {
  const { text, blocks } = renderSlack(message);
  // The neutral markup has no mentions; user ids written as <@U…> become Slack mentions again.
  const mention = (s: string) => s.replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, '<@$1>');
  return { text: mention(text), blocks: JSON.parse(mention(JSON.stringify(blocks))) as never[] };
}

function metadata(tag: DeliveryTag) {
  return { event_type: ALERT_METADATA_TYPE, event_payload: { alert_id: tag.alertId, version: tag.version, kind: tag.kind } };
}
