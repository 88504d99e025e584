/**
 * The port the digest job posts through, and a thin Slack implementation of it over the
 * `background` Slack client (`notify/slack-client.ts`): it waits out a 429's `Retry-After` and
 * rides out a blip within the call; a longer outage fails the job's attempt, and the job (whose
 * ledger keeps what went out) is retried on its own schedule.
 */
import { ErrorCode, type WebAPIPlatformError, type WebClient, type WebClientOptions } from '@slack/web-api';
import { createSlackWebClient } from '../notify/slack-client.js';
import { UserFacingError } from '../lib/errors.js';
import type { Message } from '../message/model.js';
import { renderSlack } from '../render/slack/index.js';

/** Posts a message to a channel, or as a reply in a thread; resolves with the posted message's `ts`. */
export interface DigestPoster {
  post(channel: string, message: Message, threadTs?: string): Promise<{ ts: string }>;
}

/** Slack errors that waiting will not fix: the person must act, and the message says how. */
const NEEDS_A_PERSON: Record<string, string> = {
  channel_not_found: 'the digest channel does not exist or the bot cannot see it; check `channels.digest`',
  not_in_channel: 'the bot is not in the digest channel; invite it with `/invite @s3-chatops`',
  is_archived: 'the digest channel is archived; unarchive it or set another `channels.digest`',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid; copy the Bot User OAuth Token again',
  not_authed: 'SLACK_BOT_TOKEN is not set',
  token_revoked: 'SLACK_BOT_TOKEN was revoked; reinstall the app and copy the new token',
  account_inactive: 'the bot\'s Slack account is inactive; reinstall the app',
  missing_scope: 'the Slack app lacks the `chat:write` scope; reinstall it from manifest.yml',
};

/** Options for the Slack poster: the token, the API URL (tests point it at the fake Slack), the client's fetch. */
export interface SlackPosterOptions {
  token: string;
  apiUrl?: string;
  /** The client's `fetch`, e.g. `countingSlackFetch` for the metrics. */
  fetch?: WebClientOptions['fetch'];
  /** One attempt's deadline, when not `SLACK_CALL_TIMEOUT_MS` (tests). */
  timeoutMs?: number;
}

/** `DigestPoster` over `chat.postMessage`, rendering the message as Block Kit within Slack's limits. */
export class SlackDigestPoster implements DigestPoster {
  private readonly client: WebClient;

  constructor(options: SlackPosterOptions) {
    this.client = createSlackWebClient(options.token, {
      purpose: 'background',
      ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async post(channel: string, message: Message, threadTs?: string): Promise<{ ts: string }> {
    const rendered = renderSlack(message);
    try {
      const answer = await this.client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      if (!answer.ts) throw new Error('Slack answered chat.postMessage without a ts');
      return { ts: answer.ts };
    } catch (error) {
      const code = (error as Partial<WebAPIPlatformError>).code === ErrorCode.PlatformError ? (error as WebAPIPlatformError).data.error : undefined;
      const advice = code ? NEEDS_A_PERSON[code] : undefined;
      if (advice) throw new UserFacingError('bad_input', `Slack refused the digest (${code}): ${advice}.`, { cause: error });
      throw error;
    }
  }
}
