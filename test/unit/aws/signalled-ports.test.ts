import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import type { AwsPorts, CallOptions } from '../../../src/aws/ports.js';
import { withSignal } from '../../../src/aws/signalled-ports.js';
import { wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';

/** Ports with every member, optional ones included; each call records the signal it was given. */
function everyMemberPorts() {
  const seen: { member: string; signal: AbortSignal | undefined }[] = [];
  const record = (member: string, options?: CallOptions) => seen.push({ member, signal: options?.signal });
  const ports: Required<AwsPorts> = {
    placement: { placeOf: async (_b, o) => (record('placement.placeOf', o), { region: 'us-east-1' }) },
    facts: {
      getFacts: async (b, o) => (record('facts.getFacts', o), wellKeptFacts(b)),
      exists: async (_b, o) => (record('facts.exists', o), true),
    },
    listing: { listNewest: async (_b, o) => (record('listing.listNewest', o), { objects: [], scanned: 0, truncated: false }) },
    metrics: { getMetricData: async (_q, _r, o) => (record('metrics.getMetricData', o), new Map()) },
    costs: {
      getDailyCost: async (_q, o) => (record('costs.getDailyCost', o), { days: [], currency: 'USD', fetchedAt: new Date() }),
      getForecast: async (_r, o) => (record('costs.getForecast', o), null),
    },
    accessLogs: {
      objects: {
        async *list(_b, o) {
          record('accessLogs.objects.list', o);
          yield { objects: [], commonPrefixes: [] };
        },
        read: async (_b, _k, o) => (record('accessLogs.objects.read', o), (async function* () {})()),
      },
      countsCache: memoryCache(),
      readSlots: pLimit(2),
    },
    trail: { bucketEvents: async (_b, _q, o) => (record('trail.bucketEvents', o), []) },
  };
  return { ports, seen };
}

/** The dotted path of every member, nested ports walked into (the counts cache is one member, not a port). */
function memberPaths(value: object, at = ''): string[] {
  return Object.entries(value).flatMap(([key, member]) => {
    const path = at ? `${at}.${key}` : key;
    const isPort = typeof member === 'object' && member !== null && path !== 'accessLogs.countsCache';
    return isPort ? memberPaths(member, path) : [path];
  });
}

/** Calls every method of the wrapped ports once. */
async function callEverything(ports: AwsPorts): Promise<void> {
  const range = { start: new Date(0), end: new Date(1) };
  await ports.placement!.placeOf('b');
  await ports.facts.getFacts('b');
  await ports.facts.exists!('b');
  await ports.listing.listNewest('b', { limit: 1, scanBudget: 1 });
  await ports.metrics.getMetricData([], range);
  await ports.costs.getDailyCost({ start: '2026-01-01', end: '2026-01-02', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } });
  await ports.costs.getForecast({ start: '2026-01-01', end: '2026-02-01' });
  for await (const page of ports.accessLogs!.objects.list('b', { prefix: '' })) void page;
  await ports.accessLogs!.objects.read('b', 'k');
  await ports.trail!.bucketEvents('b', range);
}

describe('withSignal', () => {
  it('keeps every member of every port, the optional ones included', () => {
    const { ports } = everyMemberPorts();
    const wrapped = withSignal(ports, new AbortController().signal);
    expect(memberPaths(wrapped).sort()).toEqual(memberPaths(ports).sort());
    // What makes no AWS call of its own is shared as it is: the process's read slots stay one.
    expect(wrapped.accessLogs!.readSlots).toBe(ports.accessLogs.readSlots);
    expect(wrapped.accessLogs!.countsCache).toBe(ports.accessLogs.countsCache);
  });

  it('leaves out what the ports do not have, so a report can tell', () => {
    const { ports } = everyMemberPorts();
    const { placement, accessLogs, trail, ...required } = ports;
    const { exists, ...facts } = ports.facts;
    void [placement, accessLogs, trail, exists];
    const wrapped = withSignal({ ...required, facts }, new AbortController().signal);
    expect(memberPaths(wrapped).sort()).toEqual(['costs.getDailyCost', 'costs.getForecast', 'facts.getFacts', 'listing.listNewest', 'metrics.getMetricData']);
  });

  it('hands every call a signal that aborts with the deadline, and with the call’s own signal', async () => {
    const { ports, seen } = everyMemberPorts();
    const deadline = new AbortController();
    await callEverything(withSignal(ports, deadline.signal));
    expect(seen.map((s) => s.member).sort()).toEqual(memberPaths(ports).filter((p) => !/countsCache|readSlots/.test(p)).sort());
    expect(seen.every((s) => s.signal && !s.signal.aborted)).toBe(true);
    deadline.abort();
    expect(seen.every((s) => s.signal!.aborted)).toBe(true);

    const own = new AbortController();
    seen.length = 0;
    await withSignal(ports, new AbortController().signal).facts.getFacts('b', { signal: own.signal });
    own.abort();
    expect(seen[0]!.signal!.aborted).toBe(true);
  });

  it('keeps `this` for adapters written as classes', async () => {
    class Facts {
      private readonly answer = true;
      async getFacts(bucket: string) {
        return wellKeptFacts(bucket);
      }
      async exists() {
        return this.answer;
      }
    }
    const { ports } = everyMemberPorts();
    const wrapped = withSignal({ ...ports, facts: new Facts() }, new AbortController().signal);
    expect(await wrapped.facts.exists!('b')).toBe(true);
  });
});
