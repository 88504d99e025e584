import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Process and Node.js runtime metrics (`process_*`, `nodejs_*`); on by default. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ role: 'bot' }`. */
  defaultLabels?: Record<string, string>;
}

/**
 * A fresh prom-client registry for one process. Never prom-client's global registry: each
 * process (and each test) owns what it exports, and nothing registers behind our back at import.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
