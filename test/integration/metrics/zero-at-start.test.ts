import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startBotProcess, stopRoleProcess, type BotProcess } from '../ops/bot-process.js';
import { parseExposition, valueOf, type Exposition } from '../../unit/metrics/exposition.js';
import { promtoolCheckMetrics } from './promtool.js';

// `s3-chatops start` (bot and worker in one process) scraped over its real HTTP port before it has
// done anything: every series whose first failure an alert or a dashboard must see is already there.
describeWithServices('GET /metrics right after start', () => {
  let redis: PrivateRedis;
  let slack: FakeSlack;
  let running: BotProcess;
  let text: string;
  let scrape: Exposition;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    running = await startBotProcess(
      { ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-zero-series-token', SLACK_SIGNING_SECRET: 'zero-series-secret', SLACK_API_URL: slack.apiUrl, REDIS_URL: redis.url },
      [{ name: 'zero-series-bucket', alias: 'docs' }],
      'all',
    );
    const response = await fetch(`http://127.0.0.1:${running.port}/metrics`);
    expect(response.status).toBe(200);
    text = await response.text();
    scrape = parseExposition(text);
  });
  afterAll(async () => {
    if (running) await stopRoleProcess(running, 'SIGTERM');
    await slack?.stop();
    await redis?.destroy();
  });

  it('shows utility_operations_total at 0 for every seed operation, the test upload, and both statuses', () => {
    for (const operation of ['s3_upload', 's3_delete', 's3_list', 's3_test_upload']) {
      for (const status of ['success', 'failure']) expect(valueOf(scrape, 'utility_operations_total', { operation, status }), `${operation} ${status}`).toBe(0);
    }
  });

  it('shows the upload duration histogram’s series for both statuses, at 0', () => {
    for (const status of ['success', 'failure']) {
      expect(valueOf(scrape, 's3_upload_duration_seconds_count', { status })).toBe(0);
      expect(valueOf(scrape, 's3_upload_duration_seconds_bucket', { status, le: '5' })).toBe(0);
      expect(valueOf(scrape, 's3_upload_duration_seconds_bucket', { status, le: '+Inf' })).toBe(0);
    }
  });

  it('shows the bot’s own failure counters at 0: alert evaluations, AWS calls, Slack calls, jobs', () => {
    expect(valueOf(scrape, 's3chatops_alert_evaluations_total', { outcome: 'failure' })).toBe(0);
    expect(valueOf(scrape, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'PutObject', outcome: 'client_error' })).toBe(0);
    expect(valueOf(scrape, 's3chatops_aws_api_calls_total', { service: 'CloudWatch', operation: 'GetMetricData', outcome: 'throttled' })).toBe(0);
    expect(valueOf(scrape, 's3chatops_slack_rate_limited_total', { method: 'chat.postMessage' })).toBe(0);
    expect(valueOf(scrape, 's3chatops_job_duration_seconds_count', { queue: 's3-chatops-test-upload', job: 'scheduled-test-upload', outcome: 'failure' })).toBe(0);
  });

  it('still parses as Prometheus exposition format (promtool check metrics)', async () => {
    const check = await promtoolCheckMetrics(text);
    expect(check.parses, check.output).toBe(true);
    expect(check.problems).toEqual([]);
  });
});
