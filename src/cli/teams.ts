/** `s3-chatops teams test`: posts one test card to TEAMS_WEBHOOK_URL and reports what Teams answered. */
import { hostname } from 'node:os';
import { redactText } from '../config/redact.js';
import { escapeTerminal } from '../render/text/index.js';
import { formatTimestamp } from '../message/format.js';
import type { Message } from '../message/model.js';
import { renderTeams } from '../render/teams/index.js';
import { checkWebhookShape } from '../notify/teams-url.js';
import { TeamsDeliveryError, TeamsWebhook, webhookSignature } from '../notify/teams-webhook.js';
import { badUsage, PROGRAM } from './usage.js';

export const TEAMS_USAGE = ['teams test'];

export interface TeamsCliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  now: () => Date;
  fetch?: typeof fetch;
}

/** The test card: says where it came from and what will follow. */
export function teamsTestMessage(now: Date, host: string): Message {
  return {
    summary: 's3-chatops test card',
    blocks: [
      { kind: 'header', text: '✅ s3-chatops can post to this channel' },
      { kind: 'text', text: 'From now on, every S3 alert (firing, reminders, resolved) and the **daily digest** arrive here, with the same figures as in Slack.' },
      { kind: 'fields', fields: [{ label: 'Sent', value: formatTimestamp(now) }, { label: 'From', value: host }] },
      { kind: 'context', text: 'Sent by `s3-chatops teams test`.' },
    ],
  };
}

/** Runs `teams <subcommand>`; returns the exit status (0 posted, 1 Teams refused or is unreachable, 2 bad usage). */
export async function runTeamsCli(rest: readonly string[], io: TeamsCliIo): Promise<number> {
  if (rest.length !== 1 || rest[0] !== 'test') {
    io.stderr.write(badUsage(rest.length === 0 ? '`teams` needs a subcommand' : `\`teams ${rest.join(' ').slice(0, 40)}\` is not a command`, TEAMS_USAGE));
    return 2;
  }
  const url = io.env.TEAMS_WEBHOOK_URL?.trim();
  const secrets = [url, url ? webhookSignature(url) : undefined];
  const shape = checkWebhookShape(url);
  if (shape.status === 'skip' || !url) {
    io.stderr.write(`${PROGRAM}: TEAMS_WEBHOOK_URL is not set. In Teams, add the workflow "Post to a channel when a webhook request is received" to the channel, and set TEAMS_WEBHOOK_URL to its URL.\n`);
    return 1;
  }
  if (!URL.canParse(url)) {
    io.stderr.write(`${PROGRAM}: ${shape.detail}\n`);
    return 1;
  }
  // A URL of an unusual shape may still work (a proxy, a test server): say so, and try it.
  if (shape.status === 'fail') io.stderr.write(`note: ${shape.detail}\n`);
  const webhook = new TeamsWebhook({ url, ...(io.fetch ? { fetch: io.fetch } : {}) });
  try {
    const answer = await webhook.post(renderTeams(teamsTestMessage(io.now(), hostname())));
    io.stdout.write(`Posted a test card; Teams answered ${answer.status}${answer.body ? `: ${escapeTerminal(redactText(answer.body, secrets))}` : ''}.\n`);
    if (answer.status === 202) io.stdout.write('Teams accepted it; the workflow posts it to the channel within a few seconds.\n');
    return 0;
  } catch (error) {
    const problem = error instanceof TeamsDeliveryError ? error.message : String((error as Error).message ?? error);
    io.stderr.write(`${PROGRAM}: the test card was not posted: ${escapeTerminal(redactText(problem, secrets))}${advice(error)}\n`);
    return 1;
  }
}

function advice(error: unknown): string {
  if (!(error instanceof TeamsDeliveryError)) return '';
  if (error.status === 401 || error.status === 403) return '. The URL\'s sig may be wrong: copy the workflow\'s URL again';
  if (error.status === 404) return '. The workflow may have been deleted or turned off';
  if (error.status === 429) return '. Teams is rate limiting the webhook; try again in a minute';
  if (error.status === null) return '. Check the network, or the proxy settings';
  return '';
}
