import { describe, expect, it } from 'vitest';
import { CLEANUP_JOB, CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { DIGEST_JOB_NAME } from '../../../src/jobs/digest-job.js';
import { ALERTS_QUEUE, DELIVER_JOB, EVALUATE_JOB, NOTIFY_QUEUE, TICK_JOB } from '../../../src/jobs/queues.js';
import { SCHEDULED_TEST_UPLOAD_JOB, TEST_UPLOAD_QUEUE } from '../../../src/jobs/scheduled-test-upload.js';
import { TEST_UPLOAD_OPERATION as ACTION_TEST_UPLOAD_OPERATION } from '../../../src/actions/test-upload.js';
import { TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { TEAMS_BOT_ALERT_JOB } from '../../../src/notify/teams-bot-delivery.js';
import { botMetrics, QUEUE_JOBS, TEST_UPLOAD_OPERATION } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from './exposition.js';

const fresh = () => createMetricsRegistry({ defaultMetrics: false });
const scrape = async (registry: ReturnType<typeof fresh>): Promise<Exposition> => parseExposition(await registry.metrics());

describe('S3 monitor series exist at 0 before the first operation', () => {
  it('counts every seed operation for both statuses from the start', async () => {
    const registry = fresh();
    new S3Monitor({ registry });
    const m = await scrape(registry);
    for (const operation of ['s3_upload', 's3_delete', 's3_list']) {
      for (const status of ['success', 'failure']) expect(valueOf(m, 'utility_operations_total', { operation, status }), `${operation} ${status}`).toBe(0);
    }
  });

  it('has the upload histograms’ series for both statuses, every bucket at 0', async () => {
    const registry = fresh();
    new S3Monitor({ registry });
    const m = await scrape(registry);
    for (const status of ['success', 'failure']) {
      expect(valueOf(m, 's3_upload_duration_seconds_count', { status })).toBe(0);
      expect(valueOf(m, 's3_upload_duration_seconds_bucket', { status, le: '+Inf' })).toBe(0);
      expect(samplesOf(m, 's3_upload_duration_seconds_bucket', { status }).length).toBeGreaterThan(10);
      expect(valueOf(m, 's3_upload_size_bytes_count', { status })).toBe(0);
      expect(valueOf(m, 's3_operation_duration_seconds_count', { operation: 's3_delete', status })).toBe(0);
    }
  });

  it('counts the application’s declared operations and file types from 0', async () => {
    const registry = fresh();
    new S3Monitor({ registry, operations: ['s3_copy'], fileTypes: ['pdf', 'application/vnd.ms-excel', '.DOCX'] });
    const m = await scrape(registry);
    for (const operation of ['s3_copy', 's3_upload_pdf', 's3_upload_ms_excel', 's3_upload_docx']) {
      expect(valueOf(m, 'utility_operations_total', { operation, status: 'failure' }), operation).toBe(0);
      expect(valueOf(m, 'utility_operations_total', { operation, status: 'success' }), operation).toBe(0);
    }
  });

  it('gives an operation first seen with a success its failure series at 0, and the reverse', async () => {
    const registry = fresh();
    const monitor = new S3Monitor({ registry });
    monitor.recordUploadOperation({ success: true, fileType: 'png', duration: 5 });
    monitor.recordOperation('s3_head', false);
    const m = await scrape(registry);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload_png', status: 'failure' })).toBe(0);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_head', status: 'success' })).toBe(0);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_head', status: 'failure' })).toBe(1);
  });

  it('keeps what was counted and observed when another monitor or the bot’s metrics come to the same registry', async () => {
    const registry = fresh();
    const monitor = new S3Monitor({ registry });
    monitor.recordUploadOperation({ success: false, fileType: 'pdf', duration: 40 });
    monitor.recordOperation('s3_delete', true, 10);
    new S3Monitor({ registry, fileTypes: ['pdf'] });
    botMetrics(registry);
    botMetrics(registry);
    const m = await scrape(registry);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload_pdf', status: 'failure' })).toBe(1);
    expect(valueOf(m, 's3_upload_duration_seconds_count', { status: 'failure' })).toBe(1);
    expect(valueOf(m, 's3_operation_duration_seconds_count', { operation: 's3_delete', status: 'success' })).toBe(1);
  });
});

describe('the bot’s own counters that would hide a first failure exist at 0', () => {
  it('test uploads, alert evaluations, AWS calls, Slack calls and rate limits', async () => {
    const registry = fresh();
    botMetrics(registry);
    const m = await scrape(registry);
    expect(TEST_UPLOAD_OPERATION).toBe(ACTION_TEST_UPLOAD_OPERATION);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_test_upload', status: 'failure' })).toBe(0);
    expect(valueOf(m, 's3chatops_alert_evaluations_total', { outcome: 'failure' })).toBe(0);
    expect(valueOf(m, 's3chatops_alert_evaluations_total', { outcome: 'success' })).toBe(0);
    for (const outcome of ['throttled', 'client_error', 'server_error', 'network_error']) {
      expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'PutObject', outcome })).toBe(0);
      expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'CloudWatch', operation: 'GetMetricData', outcome })).toBe(0);
      expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'CostExplorer', operation: 'GetCostAndUsage', outcome })).toBe(0);
    }
    expect(valueOf(m, 's3chatops_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'error' })).toBe(0);
    expect(valueOf(m, 's3chatops_slack_rate_limited_total', { method: 'chat.update' })).toBe(0);
  });

  it('every worker job’s duration, for both outcomes', async () => {
    const registry = fresh();
    botMetrics(registry);
    const m = await scrape(registry);
    for (const [queue, jobs] of Object.entries(QUEUE_JOBS)) {
      for (const job of jobs) expect(valueOf(m, 's3chatops_job_duration_seconds_count', { queue, job, outcome: 'failure' }), `${queue} ${job}`).toBe(0);
    }
  });

  it('knows every queue and job the worker runs, by their own constants', () => {
    expect(QUEUE_JOBS).toEqual({
      [ALERTS_QUEUE]: [TICK_JOB, EVALUATE_JOB, DIGEST_JOB_NAME],
      [NOTIFY_QUEUE]: [DELIVER_JOB],
      [CLEANUP_QUEUE]: [CLEANUP_JOB],
      [TEST_UPLOAD_QUEUE]: [SCHEDULED_TEST_UPLOAD_JOB],
      [TEAMS_QUEUE]: [TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_BOT_ALERT_JOB],
    });
  });
});
