import { describe, expect, it } from 'vitest';
import { addQueueDepthSource, botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { observeJob, recordAlertEvaluation, setAlertStateSource, type AlertStateCount } from '../../../src/metrics/worker.js';
import { parseExposition, samplesOf, valueOf } from './exposition.js';

const scrape = async (metrics: ReturnType<typeof botMetrics>) => parseExposition(await metrics.registry.metrics());

describe('the worker side of the metrics', () => {
  it('observeJob times a job by queue, name and outcome, and rethrows its error', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    await expect(observeJob(metrics, { queue: 'alerts', job: 'evaluate' }, async () => 'done')).resolves.toBe('done');
    const failure = new Error('Redis gone');
    await expect(observeJob(metrics, { queue: 'alerts', job: 'evaluate' }, async () => Promise.reject(failure))).rejects.toBe(failure);
    const m = await scrape(metrics);
    expect(valueOf(m, 's3chatops_job_duration_seconds_count', { queue: 'alerts', job: 'evaluate', outcome: 'success' })).toBe(1);
    expect(valueOf(m, 's3chatops_job_duration_seconds_count', { queue: 'alerts', job: 'evaluate', outcome: 'failure' })).toBe(1);
  });

  it('reads queue depth from the given function at each scrape, and a failing read leaves no stale series', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    let counts: Record<string, number> | Error = { waiting: 3, active: 1 };
    addQueueDepthSource(metrics, async () => {
      if (counts instanceof Error) throw counts;
      return [{ queue: 'cleanup', counts }];
    });
    expect(valueOf(await scrape(metrics), 's3chatops_queue_jobs', { queue: 'cleanup', state: 'waiting' })).toBe(3);
    counts = { waiting: 0, active: 2 };
    expect(valueOf(await scrape(metrics), 's3chatops_queue_jobs', { queue: 'cleanup', state: 'active' })).toBe(2);
    counts = new Error('Redis is down');
    expect(samplesOf(await scrape(metrics), 's3chatops_queue_jobs')).toEqual([]);
  });

  it('recordAlertEvaluation counts runs and stamps the last success', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    recordAlertEvaluation(metrics, true, () => new Date('2024-05-01T00:00:00Z'));
    recordAlertEvaluation(metrics, false, () => new Date('2024-05-01T00:05:00Z'));
    const m = await scrape(metrics);
    expect(valueOf(m, 's3chatops_alert_evaluations_total', { outcome: 'success' })).toBe(1);
    expect(valueOf(m, 's3chatops_alert_evaluations_total', { outcome: 'failure' })).toBe(1);
    expect(valueOf(m, 's3chatops_alert_last_success_timestamp_seconds')).toBe(Date.parse('2024-05-01T00:00:00Z') / 1000);
  });

  it('reads the alert states from the given source at each scrape; a failing read keeps the last counts', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    let counts: AlertStateCount[] | Error = [{ rule: 'error-rate', state: 'firing', count: 1 }];
    setAlertStateSource(metrics, async () => {
      if (counts instanceof Error) throw counts;
      return counts;
    });
    const states = async () => samplesOf(await scrape(metrics), 's3chatops_alerts').map((s) => [s.labels.rule, s.labels.state, s.value]);
    expect(await states()).toEqual([['error-rate', 'firing', 1]]);
    // Another worker resolved it: this worker's next scrape shows the store's state, not its own last evaluation.
    counts = [{ rule: 'error-rate', state: 'resolved', count: 1 }];
    expect(await states()).toEqual([['error-rate', 'resolved', 1]]);
    counts = new Error('Redis is down');
    expect(await states()).toEqual([['error-rate', 'resolved', 1]]);
  });
});
