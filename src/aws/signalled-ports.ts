import type { AwsPorts, CallOptions } from './ports.js';

/**
 * How to hand the signal to each member of a port, one entry for every member, optional ones
 * included: a member added to a port and not listed here is a type error, so the wrapped ports
 * cannot quietly lose a capability (the overview's HeadBucket, the shared log-read slots).
 */
type Signalling<T> = { [K in keyof T]-?: ((member: NonNullable<T[K]>) => NonNullable<T[K]>) | typeof AS_IS };

/** A member shared as it is: it makes no AWS call of its own. */
const AS_IS = Symbol('as is');

/** `port` with each member it has passed through `table`; a member it lacks stays absent. */
function signalled<T extends object>(port: T, table: Signalling<T>): T {
  const wrapped: Partial<T> = {};
  for (const key of Object.keys(table) as (keyof T)[]) {
    const member = port[key];
    const wrap = table[key];
    if (member === undefined || member === null) continue;
    if (wrap === AS_IS) {
      wrapped[key] = member;
      continue;
    }
    // Class-based adapters read `this`: a method is handed over bound to its port.
    wrapped[key] = wrap((typeof member === 'function' ? member.bind(port) : member) as NonNullable<T[typeof key]>);
  }
  return wrapped as T;
}

/**
 * The ports with `signal` (a command's deadline) handed to every call, so the reports reading
 * them need not carry it: once it aborts, calls in flight are cancelled and new ones fail at once.
 */
export function withSignal(ports: AwsPorts, signal: AbortSignal): AwsPorts {
  const call = (options?: CallOptions): CallOptions => ({ ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal });
  return signalled(ports, {
    placement: (placement) => signalled(placement, { placeOf: (placeOf) => (bucket, options) => placeOf(bucket, call(options)) }),
    facts: (facts) =>
      signalled(facts, {
        getFacts: (getFacts) => (bucket, options) => getFacts(bucket, call(options)),
        exists: (exists) => (bucket, options) => exists(bucket, call(options)),
      }),
    listing: (listing) => signalled(listing, { listNewest: (listNewest) => (bucket, options) => listNewest(bucket, { ...options, ...call(options) }) }),
    metrics: (metrics) => signalled(metrics, { getMetricData: (getMetricData) => (queries, range, options) => getMetricData(queries, range, call(options)) }),
    costs: (costs) =>
      signalled(costs, {
        getDailyCost: (getDailyCost) => (query, options) => getDailyCost(query, call(options)),
        getForecast: (getForecast) => (range, options) => getForecast(range, call(options)),
      }),
    accessLogs: (accessLogs) =>
      signalled(accessLogs, {
        objects: (objects) =>
          signalled(objects, {
            list: (list) => (bucket, options) => list(bucket, { ...options, ...call(options) }),
            read: (read) => (bucket, key, options) => read(bucket, key, call(options)),
          }),
        countsCache: AS_IS,
        // The process's slots stay shared: a window under a deadline waits its turn like any other.
        readSlots: AS_IS,
      }),
    trail: (trail) => signalled(trail, { bucketEvents: (bucketEvents) => (bucket, query, options) => bucketEvents(bucket, query, call(options)) }),
  });
}
