import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardPanels, dashboardQueries, metricNamesIn, MONITORING, readDashboard, ruleExpressions, withGrafanaVariables } from './promql.js';

function promtool(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd: `${MONITORING}prometheus`, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('the shipped Prometheus rules', () => {
  it('pass `promtool check rules`', async () => {
    const result = await promtool(['check', 'rules', 'recording-rules.yml', 'alerts.yml']);
    expect(result.out).toContain('SUCCESS');
    expect(result.code, result.out).toBe(0);
  });

  it('pass their unit tests (`promtool test rules`), which fire on bad series and stay quiet on good ones', async () => {
    const tests = readdirSync(`${MONITORING}prometheus/tests`).filter((f) => f.endsWith('.yml')).map((f) => `tests/${f}`);
    expect(tests.length).toBeGreaterThan(0);
    const result = await promtool(['test', 'rules', ...tests]);
    expect(result.code, result.out).toBe(0);
  });

  it('a broken expectation makes `promtool test rules` fail (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
    const file = join(dir, 'wrong.yml');
    writeFileSync(file, stringify({
      rule_files: [`${MONITORING}prometheus/recording-rules.yml`, `${MONITORING}prometheus/alerts.yml`],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: [{ series: 'up{job="s3-chatops-bot", instance="bot:3000"}', values: '1x10' }], alert_rule_test: [{ alertname: 'S3ChatopsDown', eval_time: '6m', exp_alerts: [{ exp_labels: { severity: 'critical' } }] }] }],
    }));
    expect((await promtool(['test', 'rules', file])).code).not.toBe(0);
  });
});

describe('the shipped Grafana dashboard', () => {
  const dashboard = readDashboard();

  it('is a dashboard with unique panel ids and the seed guide’s four panels', () => {
    expect(dashboard.uid).toBe('s3-chatops');
    const panels = dashboardPanels(dashboard);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const titles = panels.map((p) => p.title);
    for (const seed of ['Upload success rate', 'Upload duration p95 / p50', 'Errors by operation', 'Uploads by file type']) expect(titles).toContain(seed);
  });

  it('computes p95 from the histogram’s _bucket series, never from a counter', () => {
    for (const { expr } of dashboardQueries(dashboard).filter((q) => q.expr.includes('histogram_quantile'))) {
      expect(metricNamesIn(expr).every((name) => name.endsWith('_bucket'))).toBe(true);
    }
  });

  it('has only queries that are valid PromQL (checked by promtool as rule expressions)', async () => {
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(10);
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    const file = join(dir, 'dashboard-queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: withGrafanaVariables(q.expr) })) }] }));
    const result = await promtool(['check', 'rules', file]);
    expect(result.code, result.out).toBe(0);
  });
});

describe('gauges every worker reports alike (the shared queues, the shared alert store)', () => {
  // Each worker reads the same Redis: summing their reports counts one queue or alert once per worker.
  const shared = ['s3chatops_queue_jobs', 's3chatops_alerts'];
  const uses = [...dashboardQueries(readDashboard()).map((q) => ({ where: `dashboard ${q.panel}`, expr: q.expr })), ...ruleExpressions().map((r) => ({ where: `rule ${r.rule}`, expr: r.expr }))].filter((u) =>
    metricNamesIn(u.expr).some((name) => shared.includes(name)),
  );

  it('are read in the dashboard and the rules', () => {
    expect(uses.map((u) => u.where).length).toBeGreaterThanOrEqual(3);
  });

  it('are taken with max across instances before anything is added up', () => {
    for (const { where, expr } of uses) {
      for (const name of shared.filter((n) => expr.includes(n))) {
        // The innermost aggregation around the metric is a max.
        const around = new RegExp(`(\\w+)\\s*(?:by\\s*\\([^)]*\\)\\s*)?\\(\\s*${name}\\b`).exec(expr);
        expect(around?.[1], `${where}: ${expr}`).toBe('max');
      }
    }
  });
});

describe('metricNamesIn', () => {
  it('finds metric names and skips functions, keywords, labels and variables', () => {
    expect(metricNamesIn('sum by (le, queue) (rate(s3chatops_job_duration_seconds_bucket{queue="x"}[$__rate_interval]))')).toEqual(['s3chatops_job_duration_seconds_bucket']);
    expect(metricNamesIn('a_total / b:rule:rate5m > 0 unless on() c')).toEqual(['a_total', 'b:rule:rate5m', 'c']);
    expect(metricNamesIn('time() - process_start_time_seconds{job=~"s3-chatops.*"}')).toEqual(['process_start_time_seconds']);
  });
});
