import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { secretValues } from '../../../src/config/redact.js';
import { createLogger } from '../../../src/lib/logger.js';
import { checkWebhookShape } from '../../../src/notify/teams-url.js';
import { parseRetryAfter, TeamsDeliveryError, TeamsWebhook } from '../../../src/notify/teams-webhook.js';
import { renderTeams } from '../../../src/render/teams/index.js';

const SIG = 'Zm9vYmFyYmF6cXV4LXNpZ25hdHVyZS1vZi10aGUtd2ViaG9vaw';
const WORKFLOW_URL = `https://prod-27.westeurope.logic.azure.com:443/workflows/4f1d2c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const POWER_URL = `https://default0f1e.4a.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/9a8b/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

describe('checkWebhookShape', () => {
  it('accepts Logic Apps and Power Platform Workflows URLs and never shows the sig', () => {
    for (const url of [WORKFLOW_URL, POWER_URL]) {
      const shape = checkWebhookShape(url);
      expect(shape.status).toBe('ok');
      expect(shape.detail).not.toContain(SIG);
      expect(shape.detail).toContain('sig=[redacted]');
    }
  });

  it('says what is wrong with other URLs, and skips when unset', () => {
    expect(checkWebhookShape(undefined).status).toBe('skip');
    expect(checkWebhookShape('not a url').status).toBe('fail');
    expect(checkWebhookShape('https://contoso.webhook.office.com/webhookb2/x').detail).toContain('retired');
    const noSig = checkWebhookShape('http://example.com/hook');
    expect(noSig.status).toBe('fail');
    expect(noSig.detail).toMatch(/not https.*not a Workflows host.*no \/workflows\/.*no sig/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('TeamsWebhook', () => {
  const body = renderTeams({ summary: 's', blocks: [{ kind: 'text', text: 'hi' }] });

  it('classifies 429 with Retry-After and 5xx as retryable, 400 as not', async () => {
    const answers = [new Response('slow down', { status: 429, headers: { 'retry-after': '2' } }), new Response('oops', { status: 502 }), new Response('bad card', { status: 400 })];
    const webhook = new TeamsWebhook({ url: WORKFLOW_URL, fetch: async () => answers.shift()! });
    const errors: TeamsDeliveryError[] = [];
    for (let i = 0; i < 3; i += 1) await webhook.post(body).catch((e: TeamsDeliveryError) => errors.push(e));
    expect(errors.map((e) => [e.status, e.retryable, e.retryAfterMs])).toEqual([
      [429, true, 2000],
      [502, true, undefined],
      [400, false, undefined],
    ]);
  });

  it('a log line written while posting fails holds no part of the signature', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      secrets: secretValues({ TEAMS_WEBHOOK_URL: WORKFLOW_URL }),
      destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
    });
    // A network failure whose message quotes the URL, as some proxies and resolvers do.
    const webhook = new TeamsWebhook({ url: WORKFLOW_URL, fetch: async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: new Error(`connect ECONNREFUSED for ${WORKFLOW_URL}`) })) });
    const error = await webhook.post(body).catch((e: unknown) => e);
    logger.warn({ err: error, url: WORKFLOW_URL, encoded: encodeURIComponent(WORKFLOW_URL) }, `posting to ${WORKFLOW_URL} failed`);
    expect(lines.length).toBe(1);
    for (let i = 0; i + 8 <= SIG.length; i += 4) expect(lines[0]).not.toContain(SIG.slice(i, i + 8));
  });
});
