import { describe, expect, it } from 'vitest';
import { redactEnv, redactText, secretValues } from '../../../src/config/redact.js';

describe('redaction', () => {
  it('removes Slack tokens, AWS key ids, signed URL parts and Redis passwords from text', () => {
    const text = [
      'token xoxb-123-456-abcDEF',
      'app xapp-1-A0-123-xyz',
      'key AKIAABCDEFGHIJKLMNOP',
      'hook https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sp=%2F&sig=AbC123xyz',
      'redis://user:hunter2@cache:6379',
    ].join('\n');
    const out = redactText(text);
    for (const secret of ['xoxb-123-456-abcDEF', 'xapp-1-A0-123-xyz', 'AKIAABCDEFGHIJKLMNOP', 'AbC123xyz', 'hunter2']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('sig=[redacted]');
    expect(out).toContain('redis://user:[redacted]@cache:6379');
  });

  it('removes known secret values that match no pattern', () => {
    expect(redactText('signing secret is 8f14e45fceea167a', ['8f14e45fceea167a'])).toBe('signing secret is [redacted]');
  });

  it('redacts secret variables of an environment and lists their values', () => {
    const env = { SLACK_SIGNING_SECRET: 'abcdef123456', AWS_REGION: 'us-east-1', TEAMS_WEBHOOK_URL: 'https://h/x?sig=1' };
    expect(redactEnv(env)).toEqual({ SLACK_SIGNING_SECRET: '[redacted]', AWS_REGION: 'us-east-1', TEAMS_WEBHOOK_URL: '[redacted]' });
    expect(secretValues(env).sort()).toEqual(['abcdef123456', 'https://h/x?sig=1']);
  });
});
