/** Which Slack Web API errors a retry cannot fix: the bot's token, scopes or channel need a person. */

/** Slack `error` codes that stay the same however often the call is tried again. */
const NEEDS_A_PERSON = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
]);

/** The Slack error code when `error` is a refusal that needs a person (an invited bot, a new token); `undefined` otherwise. */
export function slackRefusal(error: unknown): string | undefined {
  const e = (error ?? {}) as { code?: unknown; data?: { error?: unknown } };
  if (e.code !== 'slack_webapi_platform_error') return undefined;
  const code = e.data?.error;
  return typeof code === 'string' && NEEDS_A_PERSON.has(code) ? code : undefined;
}
