/** Posts and edits the messages of test uploads and cleanups through @slack/web-api (its retries honour Retry-After). */
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { createSlackWebClient, type SlackCallPurpose } from '../notify/slack-client.js';
import type { Message } from '../message/model.js';
import { renderSlack } from '../render/slack/index.js';

/** Where a message is. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** The few Slack calls the actions make; a fake in unit tests. */
export interface ActionMessenger {
  post(channel: string, message: Message, threadTs?: string): Promise<SlackMessageRef>;
  update(ref: SlackMessageRef, message: Message): Promise<void>;
}

/** An ActionMessenger over a WebClient (Bolt's own, or one built from the bot token). */
export function slackMessenger(client: Pick<WebClient, 'chat'>): ActionMessenger {
  return {
    async post(channel, message, threadTs) {
      const answer = await client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...renderSlack(message) } as never);
      return { channel: answer.channel ?? channel, ts: String(answer.ts) };
    },
    async update(ref, message) {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderSlack(message) } as never);
    },
  };
}

export interface TokenMessengerOptions {
  token: string;
  apiUrl?: string;
  /** Who waits on its calls: `background` in the worker, `interactive` at the command line. */
  purpose: Extract<SlackCallPurpose, 'background' | 'interactive'>;
  /** The client's fetch, e.g. `countingSlackFetch` for the metrics. */
  fetch?: WebClientOptions['fetch'];
  /** One attempt's deadline, when not `SLACK_CALL_TIMEOUT_MS` (tests). */
  timeoutMs?: number;
}

/** A messenger for processes without Bolt (the worker, the command line), on the factory's client for its purpose. */
export function tokenMessenger(options: TokenMessengerOptions): ActionMessenger {
  return slackMessenger(
    createSlackWebClient(options.token, {
      purpose: options.purpose,
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
  );
}
