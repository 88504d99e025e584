// The one Slack client factory against the fake Slack over HTTP: each attempt is cut at its
// deadline, the purpose's retry policy decides how many attempts a stalled call gets, and a
// response_url post through its fetch is bounded as well.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient, fetchWithDeadline, slackClientOptions } from '../../../src/notify/slack-client.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';

describe('Slack client deadlines', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  beforeEach(() => slack.reset());
  afterAll(async () => {
    await slack?.stop();
  });

  it('a probe makes one attempt and fails at its deadline when Slack takes the call and never answers', async () => {
    slack.stall('auth.test');
    const client = createSlackWebClient('xoxb-probe', { purpose: 'probe', apiUrl: slack.apiUrl, timeoutMs: 300 });
    const started = Date.now();
    await expect(client.auth.test()).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slack.callsOf('auth.test')).toHaveLength(1);
  });

  it('an interactive call makes three attempts, each cut at its deadline, then fails', async () => {
    slack.stall('chat.postMessage');
    const client = createSlackWebClient('xoxb-interactive', { purpose: 'interactive', apiUrl: slack.apiUrl, timeoutMs: 300 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hello' })).rejects.toThrow();
    expect(slack.callsOf('chat.postMessage')).toHaveLength(3);
  });

  it('the call after a stall ends is answered by the same client', async () => {
    slack.stall('chat.postMessage');
    const client = createSlackWebClient('xoxb-recover', { purpose: 'probe', apiUrl: slack.apiUrl, timeoutMs: 300 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'lost' })).rejects.toThrow();
    slack.resume('chat.postMessage');
    await expect(client.chat.postMessage({ channel: 'C1', text: 'after' })).resolves.toMatchObject({ ok: true });
  });

  it('a response_url post through the client fetch is aborted at the deadline', async () => {
    slack.stall('respond');
    const options = slackClientOptions({ purpose: 'interactive', timeoutMs: 300 });
    const { url } = slack.responseUrl();
    const started = Date.now();
    await expect(options.fetch!(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a request that brings its own signal keeps it', async () => {
    const seen: Array<AbortSignal | null | undefined> = [];
    const own = new AbortController().signal;
    const fetch = fetchWithDeadline(async (_url, init) => {
      seen.push(init?.signal);
      return new Response('{}') as never;
    }, 300);
    await fetch('http://x/', { signal: own });
    await fetch('http://x/', {});
    expect(seen[0]).toBe(own);
    expect(seen[1]).toBeInstanceOf(AbortSignal);
    expect(seen[1]).not.toBe(own);
  });
});
