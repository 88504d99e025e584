import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/config/redact.js';
import { createLogger } from '../../../src/lib/logger.js';

const RESPONSE_URL = 'https://hooks.slack.com/commands/T0001/5718234567890/Qm9ndXNSZXNwb25zZVVybFNlY3JldA';
const ACTION_URL = 'https://hooks.slack.com/actions/T0001/5718234567891/QWN0aW9uUmVzcG9uc2VTZWNyZXQ';
const WEBHOOK_URL = 'https://hooks.slack.com/services/T0001/B0002/aW5jb21pbmdXZWJob29rU2VjcmV0';
const SECRETS = ['5718234567890/Qm9ndXNSZXNwb25zZVVybFNlY3JldA', 'Qm9ndXNSZXNwb25zZVVybFNlY3JldA', 'QWN0aW9uUmVzcG9uc2VTZWNyZXQ', 'aW5jb21pbmdXZWJob29rU2VjcmV0', 'B0002'];

describe('redacting Slack response_urls and incoming webhooks', () => {
  it('scrubs the path after hooks.slack.com/<kind>/, plain and percent-encoded, keeping what kind of URL it was', () => {
    const text = `respond to ${RESPONSE_URL} failed; action ${ACTION_URL}; webhook "${WEBHOOK_URL}"; form response_url=${encodeURIComponent(RESPONSE_URL)}&text=hi`;
    const out = redactText(text);
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain('hooks.slack.com/commands/[redacted]');
    expect(out).toContain('hooks.slack.com/services/[redacted]"');
    expect(out).toContain('hooks.slack.com%2Fcommands%2F[redacted]&text=hi');
  });

  it('leaves other Slack URLs alone', () => {
    const text = 'see https://slack.com/api/chat.postMessage and https://example.slack.com/archives/C1/p2';
    expect(redactText(text)).toBe(text);
  });

  it('keeps a failed respond’s error object, logged whole, free of the URL’s secret part', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    // The shape of the HTTP client's error when response_url answers 404 (expired) or cannot be reached.
    const error = Object.assign(new Error(`Request failed with status code 404 (POST ${RESPONSE_URL})`), {
      config: { url: RESPONSE_URL, method: 'post', data: '{"text":"ok"}' },
      request: { path: new URL(RESPONSE_URL).pathname },
    });
    logger.warn({ err: error, responseUrl: WEBHOOK_URL }, 'could not answer through response_url');
    const line = lines.join('');
    expect(line).toContain('could not answer through response_url');
    for (const secret of SECRETS) expect(line).not.toContain(secret);
  });
});
