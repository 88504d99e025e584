import { afterEach, describe, expect, it } from 'vitest';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { startMetricsServer, type MetricsServer } from '../../../src/metrics/server.js';
import { parseExposition, valueOf } from './exposition.js';

describe('startMetricsServer', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('serves GET /metrics from the injected registry, extra routes, and 404 for the rest', async () => {
    const metrics = botMetrics(createMetricsRegistry());
    metrics.jobDuration.observe({ queue: 'q', job: 'j', outcome: 'success' }, 0.3);
    server = await startMetricsServer({
      registry: metrics.registry,
      port: 0,
      host: '127.0.0.1',
      routes: [{ path: '/healthz', method: 'GET', handler: (_req, res) => res.writeHead(200).end('ok') }],
    });
    const base = `http://127.0.0.1:${server.port}`;
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const m = parseExposition(await response.text());
    expect(valueOf(m, 's3chatops_job_duration_seconds_count', { queue: 'q', job: 'j', outcome: 'success' })).toBe(1);
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('never uses prom-client’s global registry', async () => {
    const { register } = await import('prom-client');
    botMetrics(createMetricsRegistry());
    expect(register.getSingleMetric('utility_operations_total')).toBeUndefined();
    expect(register.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });
});
