import { createHmac } from 'node:crypto';

/** The headers Slack sends with a request: `v0=` HMAC-SHA256 of `v0:timestamp:body`. */
export function slackSignatureHeaders(
  body: string,
  signingSecret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'x-slack-signature': `v0=${signature}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}

export interface SignedPostOptions {
  signingSecret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (for a bad-signature test). */
  signature?: string;
  contentType?: string;
}

/** POSTs `body` to `url` signed as Slack would; resolves with status and body text. */
export async function postSigned(url: string, body: string, options: SignedPostOptions): Promise<{ status: number; text: string; json(): unknown }> {
  const headers = slackSignatureHeaders(body, options.signingSecret, options.timestamp);
  if (options.signature) headers['x-slack-signature'] = options.signature;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}
