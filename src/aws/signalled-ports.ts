import type { AwsPorts, CallOptions } from './ports.js';

/**
 * The ports with `signal` (a command's deadline) handed to every call, so the reports reading
 * them need not carry it: once it aborts, calls in flight are cancelled and new ones fail at once.
 */
export function withSignal(ports: AwsPorts, signal: AbortSignal): AwsPorts {
  const call = (options?: CallOptions): CallOptions => ({ ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal });
  const { facts, listing, metrics, costs, accessLogs, trail, placement } = ports;
  return {
    ...(placement ? { placement: { placeOf: (bucket, options) => placement.placeOf(bucket, call(options)) } } : {}),
    facts: { getFacts: (bucket, options) => facts.getFacts(bucket, call(options)) },
    listing: { listNewest: (bucket, options) => listing.listNewest(bucket, { ...options, ...call(options) }) },
    metrics: { getMetricData: (queries, range, options) => metrics.getMetricData(queries, range, call(options)) },
    costs: {
      getDailyCost: (query, options) => costs.getDailyCost(query, call(options)),
      getForecast: (range, options) => costs.getForecast(range, call(options)),
    },
    ...(accessLogs
      ? {
          accessLogs: {
            countsCache: accessLogs.countsCache,
            objects: {
              list: (bucket, options) => accessLogs.objects.list(bucket, { ...options, ...call(options) }),
              read: (bucket, key, options) => accessLogs.objects.read(bucket, key, call(options)),
            },
          },
        }
      : {}),
    ...(trail ? { trail: { bucketEvents: (bucket, query, options) => trail.bucketEvents(bucket, query, call(options)) } } : {}),
  };
}
