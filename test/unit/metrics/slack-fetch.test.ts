import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { countingSlackFetch, slackMethodOf } from '../../../src/metrics/slack-fetch.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { parseExposition, valueOf } from './exposition.js';

describe('countingSlackFetch', () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.stop();
  });

  it('counts Web API calls by method and outcome, and 429 waits, while the client keeps its own retries', async () => {
    slack = await startFakeSlack();
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      fetch: countingSlackFetch(metrics),
      retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    slack.rateLimit('chat.postMessage', 0, 1);
    await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    await client.auth.test();
    slack.failWith('views.publish', 'invalid_auth', 1);
    await expect(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).rejects.toThrow('invalid_auth');

    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'rate_limited' })).toBe(1);
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(1);
    expect(valueOf(m, 's3chatops_slack_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' })).toBe(1);
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'views.publish', outcome: 'error' })).toBe(1);
  });

  it('adds the Retry-After seconds Slack asks for', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const rateLimited = async () => new Response('{"ok":false,"error":"ratelimited"}', { status: 429, headers: { 'retry-after': '7' } });
    const fetch = countingSlackFetch(metrics, rateLimited as never);
    await fetch('https://slack.com/api/chat.update', {});
    await fetch('https://slack.com/api/chat.update', {});
    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_slack_rate_limit_wait_seconds_total', { method: 'chat.update' })).toBe(14);
  });

  it('counts a response_url answer by its HTTP status alone, leaving its body unread for the caller', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    let clones = 0;
    const answer = (status: number) => async () => {
      const response = new Response(status === 200 ? 'ok' : 'expired_url', { status });
      const clone = response.clone.bind(response);
      return Object.assign(response, {
        clone: () => {
          clones += 1;
          return clone();
        },
      });
    };
    const ok = await countingSlackFetch(metrics, answer(200) as never)('https://hooks.slack.com/commands/T1/1/abc', {});
    await countingSlackFetch(metrics, answer(404) as never)('https://hooks.slack.com/commands/T1/2/def', {});
    expect(await ok.text()).toBe('ok');
    expect(clones).toBe(0);
    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'other', outcome: 'ok' })).toBe(1);
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'other', outcome: 'http_error' })).toBe(1);
  });

  it('names the method from the URL, and nothing else', () => {
    expect(slackMethodOf('https://slack.com/api/chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf('http://127.0.0.1:9/api/auth.test?x=1')).toBe('auth.test');
    expect(slackMethodOf('https://hooks.slack.com/commands/1234/5678')).toBe('other');
  });
});
