import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putObjects, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';
import { dashboardQueries, metricNamesIn, readDashboard, recordedNames, ruleExpressions } from '../../unit/monitoring/promql.js';
import { exportedNames, parseExposition, samplesOf, valueOf, type Exposition } from '../../unit/metrics/exposition.js';
import { promtoolCheckMetrics } from './promtool.js';

// The composition root as production runs it (startBot), scraped after real work: a slash
// command and the product's own test upload (`/s3 test`) through the real Bolt app against moto,
// and an application's uploads recorded through S3Monitor.
describeWithServices('GET /metrics after real operations', () => {
  const bucket = uniqueBucketName('metrics');
  const saved = { ...process.env };
  const registry = createMetricsRegistry();
  let slack: FakeSlack;
  let bot: BotHandle;
  let url: string;
  let text: string;
  let scrape: Exposition;

  beforeAll(async () => {
    await createBucket(bucket, { versioning: 'Enabled' });
    await putObjects(bucket, [{ key: 'cases/a.pdf', size: 1_024 }]);
    slack = await startFakeSlack();
    Object.assign(process.env, awsTestEnv());
    const config = testConfig([{ name: bucket, alias: 'docs' }], { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL! });
    bot = await startBot(config, silentLogger(), { port: 0, handleSignals: false, registry });
    url = `http://127.0.0.1:${bot.port}`;

    // A command, answered through response_url.
    const { id, url: responseUrl } = slack.responseUrl();
    const ack = await postSigned(`${url}/slack/events`, slashCommandBody('status docs', responseUrl), { signingSecret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    await slack.waitFor((c) => c.responseId === id, 20_000);

    // The product's test upload, as a person runs it: startBot must have wired the monitor into it.
    const test = slack.responseUrl();
    const tested = await postSigned(`${url}/slack/events`, slashCommandBody('test docs', test.url), { signingSecret: SIGNING_SECRET });
    expect(tested.status).toBe(200);
    const answer = await slack.waitFor((c) => c.responseId === test.id, 30_000);
    expect(String(answer.body.text)).toContain('worked');

    // An application's uploads: one real PutObject to moto through the wrapper, one failure, one recorded by hand.
    const monitor = new S3Monitor({ registry });
    const s3 = createTestAwsClients().s3;
    const upload = monitor.monitorS3Operation('s3_upload', (key: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x'.repeat(2_048) })));
    await upload('uploads/report.pdf');
    await expect(monitor.monitorS3Operation('s3_upload', (key: string) => s3.send(new PutObjectCommand({ Bucket: `${bucket}-missing`, Key: key, Body: 'x' })))('nope.pdf')).rejects.toThrow();
    monitor.recordUploadOperation({ success: true, fileType: 'pdf', fileSize: 2_048, duration: 42 });
    s3.destroy();

    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    text = await response.text();
    scrape = parseExposition(text);
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    process.env = saved;
  });

  it('parses as Prometheus exposition format (promtool check metrics)', async () => {
    const check = await promtoolCheckMetrics(text);
    expect(check.parses, check.output).toBe(true);
    expect(check.problems).toEqual([]);
  });

  it('counts the product’s test upload, through the monitor startBot wires into it', () => {
    expect(valueOf(scrape, 'utility_operations_total', { operation: 's3_test_upload', status: 'success' })).toBe(1);
    // Its write went through the bot's own instrumented S3 client.
    expect(valueOf(scrape, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'PutObject', outcome: 'success' })).toBe(1);
  });

  it('counts uploads under the seed guide’s names with status labels', () => {
    // The test upload's write, the wrapped PutObject and the hand-recorded one.
    expect(valueOf(scrape, 'utility_operations_total', { operation: 's3_upload', status: 'success' })).toBe(3);
    expect(valueOf(scrape, 'utility_operations_total', { operation: 's3_upload', status: 'failure' })).toBe(1);
    expect(valueOf(scrape, 'utility_operations_total', { operation: 's3_upload_pdf', status: 'success' })).toBe(1);
  });

  it('observes upload durations in a real histogram', () => {
    expect(scrape.types.get('s3_upload_duration_seconds')).toBe('histogram');
    expect(valueOf(scrape, 's3_upload_duration_seconds_count', { status: 'success' })).toBe(3);
    expect(valueOf(scrape, 's3_upload_duration_seconds_count', { status: 'failure' })).toBe(1);
    expect(valueOf(scrape, 's3_upload_duration_seconds_bucket', { status: 'success', le: '+Inf' })).toBe(3);
    // The hand-recorded 42 ms upload lands at or below the 50 ms bucket.
    expect(valueOf(scrape, 's3_upload_duration_seconds_bucket', { status: 'success', le: '0.05' })).toBeGreaterThanOrEqual(1);
  });

  it('counts the bot’s own AWS calls by service, operation and outcome, and the CloudWatch metrics it asked for', () => {
    expect(valueOf(scrape, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'GetBucketVersioning', outcome: 'success' })).toBe(1);
    const cloudWatch = samplesOf(scrape, 's3chatops_aws_api_calls_total', { service: 'CloudWatch', operation: 'GetMetricData' });
    expect(cloudWatch.reduce((n, s) => n + s.value, 0)).toBeGreaterThan(0);
    expect(valueOf(scrape, 's3chatops_cloudwatch_metrics_requested_total')).toBeGreaterThan(0);
    // The test's own PutObjects used another client: the bot's counters hold only the bot's calls (the test upload's write).
    expect(samplesOf(scrape, 's3chatops_aws_api_calls_total', { operation: 'PutObject' }).filter((x) => x.value > 0).map((x) => [x.labels.outcome, x.value])).toEqual([['success', 1]]);
  });

  it('times the command and counts Slack API calls', () => {
    expect(valueOf(scrape, 's3chatops_command_duration_seconds_count', { command: 'status', outcome: 'success' })).toBe(1);
    expect(valueOf(scrape, 's3chatops_command_duration_seconds_count', { command: 'test', outcome: 'success' })).toBe(1);
    expect(valueOf(scrape, 's3chatops_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it('includes the default process metrics', () => {
    expect(scrape.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(samplesOf(scrape, 'nodejs_heap_size_used_bytes').length).toBe(1);
  });

  it('exports every metric the shipped dashboard queries (recording rules count when shipped)', () => {
    const exported = exportedNames(scrape);
    const recorded = new Set(recordedNames());
    const missing = dashboardQueries(readDashboard()).flatMap(({ panel, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name) && !recorded.has(name))
        .map((name) => `${panel}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('exports every metric the shipped rules read (besides Prometheus’s own `up`)', () => {
    const known = new Set([...exportedNames(scrape), ...recordedNames(), 'up']);
    const missing = ruleExpressions().flatMap(({ rule, expr }) => metricNamesIn(expr).filter((n) => !known.has(n)).map((n) => `${rule}: ${n}`));
    expect(missing).toEqual([]);
  });
});
