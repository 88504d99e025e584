/**
 * What `doctor` says about TEAMS_WEBHOOK_URL without posting to it: whether it is set, and
 * whether it has the shape of a Teams Workflows webhook. The URL is shown with its `sig` redacted.
 */
import { redactText } from '../config/redact.js';
import { webhookSignature } from './teams-webhook.js';

/** The verdict on a webhook URL: `ok`, `fail` (will not work), or `skip` (not set). */
export interface WebhookShape {
  status: 'ok' | 'fail' | 'skip';
  detail: string;
}

// Workflows webhooks are served by Logic Apps (`*.logic.azure.com`) or Power Platform environments.
const WORKFLOW_HOSTS = [/\.logic\.azure\.com$/i, /\.api\.powerplatform\.com$/i];

/** Judges a webhook URL's shape: https, a Workflows host, a `/workflows/` path and a `sig`. */
export function checkWebhookShape(url: string | undefined): WebhookShape {
  if (!url || url.trim() === '') {
    return { status: 'skip', detail: 'TEAMS_WEBHOOK_URL is not set; alerts and digests go to Slack only' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { status: 'fail', detail: 'TEAMS_WEBHOOK_URL is not a URL; copy the HTTP POST URL of the Teams workflow again' };
  }
  const shown = shownUrl(parsed);
  if (/\.webhook\.office\.com$/i.test(parsed.hostname)) {
    return { status: 'fail', detail: `${shown} is an Office 365 connector webhook, which Microsoft retired; create a Workflows webhook ("Post to a channel when a webhook request is received") and use its URL` };
  }
  const problems: string[] = [];
  if (parsed.protocol !== 'https:') problems.push('it is not https');
  if (!WORKFLOW_HOSTS.some((h) => h.test(parsed.hostname))) problems.push(`${parsed.hostname} is not a Workflows host (*.logic.azure.com or *.api.powerplatform.com)`);
  if (!/\/workflows\//i.test(parsed.pathname)) problems.push('its path has no /workflows/');
  if (!webhookSignature(parsed.toString())) problems.push('it has no sig parameter (the webhook\'s secret)');
  if (problems.length > 0) return { status: 'fail', detail: `${shown} does not look like a Teams Workflows webhook: ${problems.join('; ')}` };
  return { status: 'ok', detail: `${shown} is set and looks like a Teams Workflows webhook (not posted to; \`s3-chatops teams test\` posts a test card)` };
}

/** The URL with its secret parts redacted, to print. */
export function shownUrl(url: URL): string {
  return redactText(url.toString(), [webhookSignature(url.toString())]);
}
