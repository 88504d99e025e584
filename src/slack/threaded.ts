import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Message, Report } from '../message/model.js';
import type { SlackFeatures } from './features.js';

/** Said under the main message when its thread could not be posted in the channel. */
export const THREAD_FALLBACK_NOTE =
  '_The per-bucket detail goes in a thread, which the bot can only start in channels it is in: `/invite @s3-chatops`, then ask again._';

/**
 * Posts a report whose detail belongs in a thread: the main message to the channel, then each
 * reply under it. `response_url` cannot start a thread, so this goes through `chat.postMessage`.
 * Resolves false, having posted nothing more, when the channel refuses the main message.
 */
export async function postWithThread(
  client: webApi.WebClient,
  channel: string,
  report: Pick<Report, 'message' | 'thread'>,
  render: SlackFeatures['render'],
  log: Logger,
): Promise<boolean> {
  let parent: string | undefined;
  try {
    const posted = await client.chat.postMessage({ channel, ...render(report.message) } as never);
    parent = posted.ts;
  } catch (error) {
    log.warn({ err: error, channel }, 'could not post the main message in the channel; answering without its thread');
    return false;
  }
  if (!parent) return false;
  for (const reply of report.thread ?? []) {
    try {
      await client.chat.postMessage({ channel, thread_ts: parent, ...render(reply) } as never);
    } catch (error) {
      // The main message is up; a missing reply is logged and the rest still go.
      log.error({ err: error, channel }, 'could not post a thread reply');
    }
  }
  return true;
}

/** The main message with a note saying why its thread is missing. */
export function withThreadFallbackNote(message: Message): Message {
  return { ...message, blocks: [...message.blocks, { kind: 'context', text: THREAD_FALLBACK_NOTE }] };
}
