/**
 * The worker as production starts it (startWorker with its own instrumented AWS clients and
 * Slack notifier), on moto, Redis and the fake Slack: after one real evaluation tick that fires
 * an alert, its `/metrics` on PORT shows the job durations, the alert states, the queue depth,
 * the AWS and Slack calls, with the right labels; `/healthz` answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { ALERTS_QUEUE, NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { TEST_UPLOAD_QUEUE } from '../../../src/jobs/scheduled-test-upload.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from '../../unit/metrics/exposition.js';
import { promtoolCheckMetrics } from '../metrics/promtool.js';

describeWithServices('the worker\'s /metrics after a real evaluation', () => {
  const bucket = uniqueBucketName('wmetrics');
  const run = `wm${Date.now()}`;
  const saved = { ...process.env };
  let slack: FakeSlack;
  let worker: WorkerHandle;
  let tick: (slot: Date) => void = () => undefined;
  let base: string;
  let text: string;
  let scrape: Exposition;

  const read = async (): Promise<Exposition> => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    text = await response.text();
    return parseExposition(text);
  };
  /** Scrapes until `ready` holds (the jobs run in the background), or fails after a bound. */
  const scrapeUntil = async (ready: (e: Exposition) => boolean): Promise<Exposition> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const e = await read();
      if (ready(e) || Date.now() > deadline) return e;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    // 5xx above the threshold for the last half hour: server-errors fires on the first tick.
    const now = Date.now();
    const points: RequestMetricsPoint[] = Array.from({ length: 30 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 1000, '5xxErrors': 9 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));

    // The SDK reads credentials from the environment, as in production.
    Object.assign(process.env, awsTestEnv());
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-worker-metrics', SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0' });
    const file = fileConfigSchema.parse({ buckets: [{ name: bucket, alias: 'docs' }], channels: { alerts: 'C0ALERTS' }, alerts: { messagesPerSecond: 20 } });
    const config: Config = { ...file, env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, apiUrl: slack.apiUrl } };
    worker = await startWorker(config, silentLogger(), {
      handleSignals: false,
      queuePrefix: run,
      keyPrefix: `${run}:`,
      ticks: (onTick) => {
        tick = onTick;
        return { stop: () => undefined };
      },
      digestTicks: () => ({ stop: () => undefined }),
    });
    expect(worker.metricsPort).not.toBeNull();
    base = `http://127.0.0.1:${worker.metricsPort}`;

    tick(new Date(Math.floor(Date.now() / 60_000) * 60_000));
    await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes('server-errors'), 30_000);
    // The delivery job's own duration is observed when it returns, just after Slack answers.
    scrape = await scrapeUntil(
      (e) =>
        // The series exist at 0 from the start: wait for a count.
        samplesOf(e, 's3chatops_job_duration_seconds_count', { queue: NOTIFY_QUEUE, outcome: 'success' }).some((x) => x.value > 0) &&
        samplesOf(e, 's3chatops_alerts', { rule: 'server-errors', state: 'firing' }).length > 0,
    );
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await slack?.stop();
    process.env = saved;
  });

  it('serves Prometheus text that promtool accepts, and /healthz', async () => {
    const check = await promtoolCheckMetrics(text);
    expect(check.parses, check.output).toBe(true);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });

  it('times every job by queue, job name and outcome', () => {
    for (const job of ['alert-tick', 'alert-evaluate']) {
      expect(valueOf(scrape, 's3chatops_job_duration_seconds_count', { queue: ALERTS_QUEUE, job, outcome: 'success' })).toBeGreaterThanOrEqual(1);
    }
    expect(valueOf(scrape, 's3chatops_job_duration_seconds_count', { queue: NOTIFY_QUEUE, job: 'alert-deliver', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(samplesOf(scrape, 's3chatops_job_duration_seconds_bucket', { queue: ALERTS_QUEUE, job: 'alert-evaluate', outcome: 'success', le: '+Inf' })).toHaveLength(1);
  });

  it('counts the evaluation and every alert by rule and state', async () => {
    expect(valueOf(scrape, 's3chatops_alert_evaluations_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 's3chatops_alert_last_success_timestamp_seconds')).toBeGreaterThan(0);
    // The success is kept in Redis too, for the gauge of the next worker to start.
    const gauge = valueOf(scrape, 's3chatops_alert_last_success_timestamp_seconds')!;
    await expect.poll(async () => Math.abs((await worker.store.lastEvaluationSuccess(new Date(0))).getTime() / 1000 - gauge)).toBeLessThan(1);
    // The default schedule, every five minutes: what the stale alert measures against.
    expect(valueOf(scrape, 's3chatops_alert_evaluation_interval_seconds')).toBe(300);
    expect(valueOf(scrape, 's3chatops_alerts', { rule: 'server-errors', state: 'firing' })).toBe(1);
    // The bucket's other rules are evaluated and ok; no access log is configured, so access-denied is ok too.
    expect(valueOf(scrape, 's3chatops_alerts', { rule: 'access-denied', state: 'ok' })).toBe(1);
  });

  it('reads the depth of every queue of the role at scrape time (Teams only when it is configured)', () => {
    const queues = new Set(samplesOf(scrape, 's3chatops_queue_jobs').map((s) => s.labels.queue));
    expect(queues).toEqual(new Set([ALERTS_QUEUE, NOTIFY_QUEUE, CLEANUP_QUEUE, TEST_UPLOAD_QUEUE]));
    // Tick and evaluation jobs are kept as completed (their ids keep a slot from running twice).
    expect(valueOf(scrape, 's3chatops_queue_jobs', { queue: ALERTS_QUEUE, state: 'completed' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(scrape, 's3chatops_queue_jobs', { queue: NOTIFY_QUEUE, state: 'waiting' })).toBe(0);
  });

  it('counts its own AWS calls and the CloudWatch metrics it asked for, and its Slack calls', () => {
    expect(valueOf(scrape, 's3chatops_aws_api_calls_total', { service: 'CloudWatch', operation: 'GetMetricData', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 's3chatops_cloudwatch_metrics_requested_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 's3chatops_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });
}, ['moto', 'redis']);
