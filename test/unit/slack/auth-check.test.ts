import { describe, expect, it } from 'vitest';
import { SlackAuthCheck } from '../../../src/slack/auth-check.js';

describe('SlackAuthCheck', () => {
  it('remembers a passed auth.test and asks Slack once', async () => {
    let calls = 0;
    const auth = new SlackAuthCheck({ authTest: async () => (calls++, { bot_id: 'B1', user_id: 'U1' }), now: () => new Date(0) });
    const [a, b] = await Promise.all([auth.verify(), auth.verify()]);
    expect(a).toEqual({ botId: 'B1', botUserId: 'U1' });
    expect(b).toEqual(a);
    await auth.verify();
    expect(calls).toBe(1);
    expect(auth.passed).toBe(true);
  });

  it('after a failure waits out the pause before asking again', async () => {
    let t = 0;
    let fail = true;
    let calls = 0;
    const auth = new SlackAuthCheck({
      authTest: async () => {
        calls += 1;
        if (fail) throw new Error('invalid_auth');
        return { bot_id: 'B1', user_id: 'U1' };
      },
      now: () => new Date(t),
      retryAfterMs: 10_000,
    });
    expect(await auth.verify()).toBeUndefined();
    expect(auth.error).toBe('invalid_auth');
    fail = false;
    t = 5_000;
    expect(await auth.verify()).toBeUndefined();
    expect(calls).toBe(1);
    t = 10_000;
    expect(await auth.verify()).toEqual({ botId: 'B1', botUserId: 'U1' });
    expect(auth.passed).toBe(true);
  });
});
