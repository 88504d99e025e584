import { readFileSync } from 'node:fs';
import { slackSignatureHeaders } from '../../test/helpers/slack-sign.js';

const FIXTURE = new URL('../../test/fixtures/slack/slash-command.txt', import.meta.url);

/**
 * Builds signed `/s3 <text>` requests as Slack sends them: the form-encoded fixture body with
 * our text, a `response_url` of its own for every request, and a fresh signature.
 */
export class SlashCommandFactory {
  private readonly prefix: string;
  private sent = 0;

  constructor(
    text: string,
    private readonly signingSecret: string,
    private readonly responseBase: string,
    private readonly idPrefix: string,
  ) {
    const params = new URLSearchParams(readFileSync(FIXTURE, 'utf8').trim());
    params.set('text', text);
    params.delete('response_url');
    params.delete('trigger_id');
    this.prefix = params.toString();
  }

  /** How many requests were built. */
  get count(): number {
    return this.sent;
  }

  /** The next request: body and the headers Slack sends with it. */
  next(): { body: string; headers: Record<string, string> } {
    this.sent += 1;
    const id = `${this.idPrefix}-${this.sent}`;
    const body = `${this.prefix}&response_url=${encodeURIComponent(`${this.responseBase}/respond/${id}`)}&trigger_id=${this.sent}.738474920.${id}`;
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(body, this.signingSecret) } };
  }
}
