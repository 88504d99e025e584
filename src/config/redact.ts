/** Environment variables whose values are secrets and never printed or logged. */
export const SECRET_ENV_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'TEAMS_WEBHOOK_URL',
  'TEAMS_APP_PASSWORD',
] as const;

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/xox[abposr]-[A-Za-z0-9-]+/g, '[redacted]'], // Slack bot, user and config tokens
  [/xapp-[A-Za-z0-9-]+/g, '[redacted]'], // Slack app-level tokens
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted]'], // AWS access key ids
  [/([?&](?:sig|signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&\s"]+/gi, '$1[redacted]'],
  // The same query parameters percent-encoded, as a URL inside another URL or a form shows them.
  [/((?:%3F|%26)(?:sig|signature|X-Amz-Signature)%3D)[^&\s"%]+/gi, '$1[redacted]'],
  [/(rediss?:\/\/[^:/@\s]*:)[^@\s]+@/g, '$1[redacted]@'], // passwords inside Redis URLs
  // Slack response_urls and incoming webhooks (hooks.slack.com/commands|actions|services|triggers/…): the path is the credential.
  [/(hooks\.slack(?:-gov)?\.com\/[A-Za-z]+\/)[^\s"'<>\\]+/g, '$1[redacted]'],
  [/(hooks\.slack(?:-gov)?\.com%2F[A-Za-z]+%2F)[^\s"'<>\\&]+/gi, '$1[redacted]'],
  // The same path without its host, as an HTTP error's request shows it (team id, then the secret parts).
  [/(\/(?:commands|actions|services|triggers|workflows)\/)[TE][A-Z0-9]{2,}\/[^\s"'<>\\]+/g, '$1[redacted]'],
];

/** Replaces anything that looks like a secret in a string with `[redacted]`. */
export function redactText(text: string, knownSecrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of an environment with every secret value replaced, for printing. */
export function redactEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = value === undefined ? undefined : (SECRET_ENV_KEYS as readonly string[]).includes(key) ? '[redacted]' : redactText(value);
  }
  return out;
}

/** The secret values present in an environment, to scrub from any text before it is printed. */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = SECRET_ENV_KEYS.map((k) => env[k]).filter((v): v is string => Boolean(v));
  // The Teams webhook's secret is its `sig`: scrubbed wherever it shows, not only inside the whole URL.
  const sig = env.TEAMS_WEBHOOK_URL && URL.canParse(env.TEAMS_WEBHOOK_URL) ? new URL(env.TEAMS_WEBHOOK_URL).searchParams.get('sig') : null;
  // Real signatures are 43 characters; a short one would scrub ordinary words from every line.
  return sig && sig.length >= 16 ? [...values, sig] : values;
}
