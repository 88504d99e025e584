import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteBatches, planCleanup, type ListedVersion } from '../../../src/actions/cleanup-plan.js';

const CUTOFF = Date.UTC(2025, 0, 10);
const DAY = 86_400_000;

// Prefixes and keys drawn from a small alphabet so keys often share, nearly share or contain the prefix.
const segment = fc.stringMatching(/^[a-c_/.-]{1,4}$/);
const prefixArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}/`.replace(/\/+/g, '/'));
// The cutoff itself and one millisecond either side come up often: that is where an off-by-one would hide.
const timeArb = fc
  .oneof(
    { weight: 2, arbitrary: fc.constantFrom(CUTOFF - 1, CUTOFF, CUTOFF + 1) },
    { weight: 3, arbitrary: fc.integer({ min: CUTOFF - 30 * DAY, max: CUTOFF + 30 * DAY }) },
  )
  .map((t) => new Date(t));

// A key's shape relative to the prefix, joined to the prefix after generation: arbitraries built
// once, not per prefix (a chain rebuilt them every run, which made the test slow).
const restArb = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 3 }), fc.string({ maxLength: 6 }));
const shapeArb = fc.constantFrom('under', 'anywhere', 'no-slash', 'middle', 'bare');
type Shape = 'under' | 'anywhere' | 'no-slash' | 'middle' | 'bare';

function keyOf(prefix: string, shape: Shape, rest: string): string {
  if (shape === 'under') return prefix + rest;
  if (shape === 'anywhere') return rest;
  if (shape === 'no-slash') return prefix.slice(0, -1) + rest; // the prefix without its slash
  if (shape === 'middle') return rest + prefix; // the prefix inside a longer key
  return prefix.slice(0, -1);
}

const entryArb = fc.record({
  shape: shapeArb,
  rest: restArb,
  versionId: fc.oneof(fc.constant('null'), fc.string({ unit: fc.constantFrom('1', '2', '3', 'x'), minLength: 1, maxLength: 2 })),
  isDeleteMarker: fc.boolean(),
  isLatest: fc.boolean(),
  lastModified: timeArb,
  size: fc.nat({ max: 10_000 }),
});

// Small listings, with keys from a small alphabet so that one key often has several versions and markers.
const caseArb = fc.record({ prefix: prefixArb, entries: fc.array(entryArb, { maxLength: 24 }) }).map(({ prefix, entries }) => ({
  prefix,
  listing: entries.map(({ shape, rest, ...version }): ListedVersion => ({ key: keyOf(prefix, shape, rest), ...version })),
}));

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
        // Sorted string arrays, not Sets: a Set's deep equality is quadratic and made each run slow.
        const id = (key: string, versionId: string) => JSON.stringify([key, versionId]);
        const expected = [...new Set(listing.filter(inScope).map((v) => id(v.key, v.versionId)))].sort();
        const selected = plan.targets.map((t) => id(t.key, t.versionId)).sort();
        expect(selected).toEqual(expected);
        expect(plan.keys).toBe(new Set(listing.filter(inScope).map((v) => v.key)).size);
      }),
      { numRuns: 1_000 },
    );
  }, 120_000);

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
