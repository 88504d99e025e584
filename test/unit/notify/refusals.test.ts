import { describe, expect, it } from 'vitest';
import { slackRefusal } from '../../../src/notify/slack-refusal.js';
import { teamsRefusal } from '../../../src/notify/teams-delivery.js';
import { TeamsDeliveryError } from '../../../src/notify/teams-webhook.js';

const platformError = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('refusals that need a person', () => {
  it('Slack: the channel, the bot’s membership, its token or scopes', () => {
    for (const code of ['channel_not_found', 'not_in_channel', 'invalid_auth', 'token_revoked', 'missing_scope']) expect(slackRefusal(platformError(code))).toBe(code);
  });

  it('Slack: not a rate limit, a server error, a network failure or an unknown error code', () => {
    expect(slackRefusal(platformError('internal_error'))).toBeUndefined();
    expect(slackRefusal(Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 1 }))).toBeUndefined();
    expect(slackRefusal(Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' }))).toBeUndefined();
  });

  it('Teams: a 4xx about the webhook, not 408, 429, or a card it refused (400, 413), nor a 5xx or no answer', () => {
    const answer = (status: number | null, retryable: boolean) => new TeamsDeliveryError(`answered ${status}`, status, retryable);
    expect([401, 403, 404, 410].map((s) => teamsRefusal(answer(s, false)))).toEqual(['http_401', 'http_403', 'http_404', 'http_410']);
    expect([answer(400, false), answer(413, false), answer(408, true), answer(429, true), answer(500, true), answer(null, true)].map(teamsRefusal)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
