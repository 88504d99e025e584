// Slack's request bodies as Slack sends them (the fixtures), with a test's own text, response_url and trigger_id.
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const fixtures = new URL('../fixtures/slack/', import.meta.url);

/** A slash command body as Slack sends it (the fixture), with our text and response_url. */
export function slashCommandBody(text: string, responseUrl: string): string {
  const params = new URLSearchParams(readFileSync(new URL('slash-command.txt', fixtures), 'utf8').trim());
  params.set('text', text);
  params.set('response_url', responseUrl);
  // Slack gives every invocation its own trigger_id; the bot drops a second delivery of one.
  params.set('trigger_id', uniqueTriggerId());
  return params.toString();
}

/** The Refresh button's `block_actions` payload (the fixture) for a bucket and response_url. */
export function refreshBody(bucketValue: string, responseUrl: string): string {
  const payload = JSON.parse(readFileSync(new URL('block-actions-refresh.json', fixtures), 'utf8')) as {
    response_url: string;
    trigger_id: string;
    actions: { value: string }[];
  };
  payload.response_url = responseUrl;
  payload.trigger_id = uniqueTriggerId();
  payload.actions[0]!.value = bucketValue;
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A trigger_id shaped like Slack's, new on each call. */
export function uniqueTriggerId(): string {
  return `${Date.now()}.${randomInt(1e9)}.${randomBytes(8).toString('hex')}`;
}

/** The `app_home_opened` event callback (the fixture), as JSON. */
export function appHomeOpenedBody(): string {
  return readFileSync(new URL('event-app-home-opened.json', fixtures), 'utf8');
}
