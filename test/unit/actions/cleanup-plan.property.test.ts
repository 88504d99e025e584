import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteBatches, planCleanup, type ListedVersion } from '../../../src/actions/cleanup-plan.js';

const CUTOFF = Date.UTC(2025, 0, 10);
const DAY = 86_400_000;

// Prefixes and keys drawn from a small alphabet so keys often share, nearly share or contain the prefix.
const segment = fc.stringMatching(/^[a-c_/.-]{1,4}$/);
const prefixArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}/`.replace(/\/+/g, '/'));
const timeArb = fc.integer({ min: CUTOFF - 30 * DAY, max: CUTOFF + 30 * DAY }).map((t) => new Date(t));

function keyArb(prefix: string) {
  return fc.oneof(
    fc.string({ maxLength: 6 }).map((rest) => prefix + rest), // under the prefix
    fc.string({ maxLength: 6 }), // anywhere
    fc.string({ maxLength: 4 }).map((rest) => prefix.slice(0, -1) + rest), // the prefix without its slash
    fc.string({ maxLength: 4 }).map((rest) => rest + prefix), // the prefix in the middle
    fc.constant(prefix.slice(0, -1)),
  );
}

function versionArb(prefix: string) {
  return fc.record({
    key: keyArb(prefix),
    versionId: fc.oneof(fc.constant('null'), fc.stringMatching(/^[a-z0-9]{1,3}$/)),
    isDeleteMarker: fc.boolean(),
    isLatest: fc.boolean(),
    lastModified: timeArb,
    size: fc.nat({ max: 10_000 }),
  });
}

const caseArb = prefixArb.chain((prefix) => fc.record({ prefix: fc.constant(prefix), listing: fc.array(versionArb(prefix), { maxLength: 60 }) }));

describe('planCleanup (property)', () => {
  it('never selects a key outside the prefix or newer than the cutoff, and selects every version of every key in scope', () => {
    fc.assert(
      fc.property(caseArb, ({ prefix, listing }) => {
        const plan = planCleanup(listing, { prefix, cutoff: new Date(CUTOFF) });
        const newestOf = new Map<string, number>();
        for (const v of listing) newestOf.set(v.key, Math.max(newestOf.get(v.key) ?? -Infinity, v.lastModified.getTime()));
        const outside = plan.targets.filter((t) => !t.key.startsWith(prefix));
        const tooNew = plan.targets.filter((t) => !(newestOf.get(t.key)! < CUTOFF));
        expect(outside).toEqual([]);
        expect(tooNew).toEqual([]);
        const inScope = (v: ListedVersion) => v.key.startsWith(prefix) && newestOf.get(v.key)! < CUTOFF;
        const expected = new Set(listing.filter(inScope).map((v) => JSON.stringify([v.key, v.versionId])));
        const selected = new Set(plan.targets.map((t) => JSON.stringify([t.key, t.versionId])));
        expect(selected).toEqual(expected);
        expect(plan.targets.length).toBe(selected.size);
        expect(plan.keys).toBe(new Set(listing.filter(inScope).map((v) => v.key)).size);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses an empty prefix or one that is not a folder, whatever the listing', () => {
    for (const prefix of ['', 'test', '_s3-chatops/test']) {
      expect(() => planCleanup([], { prefix, cutoff: new Date(CUTOFF) })).toThrow(/test prefix/);
    }
  });

  it('batches by 1,000 at most, keeping every target once', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5_000 }), (n) => {
        const batches = deleteBatches(Array.from({ length: n }, (_, i) => i));
        expect(batches.every((b) => b.length > 0 && b.length <= 1_000)).toBe(true);
        expect(batches.flat()).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(batches.length).toBe(Math.ceil(n / 1_000));
      }),
      { numRuns: 200 },
    );
  });

  it('counts bytes of versions but not delete markers, and reports oldest, newest and a sample', () => {
    const prefix = '_s3-chatops/test/';
    const at = (daysBefore: number) => new Date(CUTOFF - daysBefore * DAY);
    const plan = planCleanup(
      [
        { key: `${prefix}a`, versionId: '1', isDeleteMarker: false, isLatest: false, lastModified: at(9), size: 100 },
        { key: `${prefix}a`, versionId: '2', isDeleteMarker: true, isLatest: true, lastModified: at(8), size: 0 },
        { key: `${prefix}b`, versionId: 'null', isDeleteMarker: false, isLatest: true, lastModified: at(2), size: 7 },
        { key: `${prefix}c`, versionId: 'null', isDeleteMarker: false, isLatest: true, lastModified: at(-1), size: 5 },
        { key: 'docs/x.pdf', versionId: 'null', isDeleteMarker: false, isLatest: true, lastModified: at(50), size: 5 },
      ],
      { prefix, cutoff: new Date(CUTOFF) },
    );
    expect(plan).toMatchObject({ keys: 2, bytes: 107, extraVersions: 1, oldest: at(9), newest: at(2), sample: [`${prefix}a`, `${prefix}b`] });
  });
});
