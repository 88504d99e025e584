/** The requests Slack sends to the app (a slash command, a button press), built and signed as Slack does. */
import { createHmac, randomBytes } from 'node:crypto';
import { escapeMrkdwn } from '../render/slack/mrkdwn.js';
import { SLASH_COMMAND } from '../slack/commands.js';
import type { PlaygroundMessage } from './conversation.js';
import { PLAYGROUND_IDENTITY } from './slack-standin.js';

/** The person at the page: a fixed local user id, allowed to confirm cleanups in the playground. */
export const PLAYGROUND_USER = { id: 'U0PLAYGROUND', name: 'you' } as const;
/** The channel the person types in. */
export const PLAYGROUND_CHANNEL = { id: 'C0PLAYGROUND', name: 'playground' } as const;
const APP_ID = 'A0PLAYGROUND';

/** How long the Bolt app may take to acknowledge (Slack itself gives 3 s; the playground is lenient on a busy laptop). */
export const ACK_DEADLINE_MS = 10_000;

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function signatureHeaders(body: string, signingSecret: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

/** A trigger id shaped like Slack's, new each time (the app drops a second delivery of one). */
function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(8).toString('hex')}`;
}

/** The form body of `/s3 <text>` typed in the playground channel. */
export function slashCommandBody(text: string, responseUrl: string): string {
  return new URLSearchParams({
    token: 'playground',
    team_id: PLAYGROUND_IDENTITY.team_id,
    team_domain: 'playground',
    channel_id: PLAYGROUND_CHANNEL.id,
    channel_name: PLAYGROUND_CHANNEL.name,
    user_id: PLAYGROUND_USER.id,
    user_name: PLAYGROUND_USER.name,
    command: SLASH_COMMAND,
    // Slack sends the typed text with &, < and > escaped; the command parser undoes it.
    text: escapeMrkdwn(text),
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
  }).toString();
}

/** What the page says was pressed. */
export interface Press {
  actionId: string;
  blockId: string;
  value?: string;
  text: string;
}

/** The form body of a `block_actions` press on `message`, as Slack sends it. */
export function blockActionsBody(message: PlaygroundMessage, press: Press, responseUrl: string): string {
  const payload = {
    type: 'block_actions',
    user: { id: PLAYGROUND_USER.id, username: PLAYGROUND_USER.name, name: PLAYGROUND_USER.name, team_id: PLAYGROUND_IDENTITY.team_id },
    api_app_id: APP_ID,
    token: 'playground',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral },
    trigger_id: triggerId(),
    team: { id: PLAYGROUND_IDENTITY.team_id, domain: 'playground' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: message.channel === PLAYGROUND_CHANNEL.id ? PLAYGROUND_CHANNEL.name : message.channel },
    message: { type: 'message', subtype: 'bot_message', text: message.text, ts: message.ts, bot_id: PLAYGROUND_IDENTITY.bot_id, blocks: message.blocks },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: press.actionId,
        block_id: press.blockId,
        type: 'button',
        ...(press.value !== undefined ? { value: press.value } : {}),
        action_ts: `${Date.now() / 1000}`,
        text: { type: 'plain_text', text: press.text, emoji: true },
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed body to the app's `/slack/events`, within the acknowledgement deadline; resolves with status and body. */
export async function postToApp(eventsUrl: string, body: string, signingSecret: string): Promise<{ status: number; text: string }> {
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signatureHeaders(body, signingSecret) },
    body,
    signal: AbortSignal.timeout(ACK_DEADLINE_MS),
  });
  return { status: response.status, text: await response.text() };
}
