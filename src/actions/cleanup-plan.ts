/**
 * The cleanup plan: a pure function over a listing of versions and delete markers. Whatever the
 * listing holds, it selects only keys under the test prefix whose every version is older than the
 * cutoff, and then every version and delete marker of those keys (so a versioned bucket really
 * frees the space).
 */

/** One entry of ListObjectVersions: an object version or a delete marker. */
export interface ListedVersion {
  key: string;
  /** `null` (the string S3 answers) in a bucket that never had versioning. */
  versionId: string;
  isDeleteMarker: boolean;
  isLatest: boolean;
  lastModified: Date;
  /** Bytes; 0 for delete markers. */
  size: number;
}

/** What one DeleteObjects entry names. */
export interface DeleteTarget {
  key: string;
  versionId: string;
  /** Bytes this version holds (0 for a delete marker). */
  size: number;
  isDeleteMarker: boolean;
}

export interface CleanupScope {
  /** The bucket's test prefix; must be non-empty and end with `/`. */
  prefix: string;
  /** Keys whose newest version or marker is at or after this time are kept. */
  cutoff: Date;
  /** When given, only these keys may be deleted (the ones marked as test files); other old keys are kept and counted. */
  marked?: ReadonlySet<string>;
}

export interface CleanupPlan {
  /** Every version and delete marker to delete, key by key in key order. */
  targets: DeleteTarget[];
  /** Keys in scope (objects, as a person counts them). */
  keys: number;
  /** Bytes freed: every version's size. */
  bytes: number;
  /** Versions and delete markers beyond the one per key. */
  extraVersions: number;
  oldest: Date | null;
  newest: Date | null;
  /** A few keys in scope, for the preview. */
  sample: string[];
  /** Old keys under the prefix kept because they are not marked as test files. */
  unmarkedKept: number;
}

/** How many sample keys the preview shows. */
export const SAMPLE_KEYS = 5;

/** Refuses a scope that could reach outside the test folder. */
export function assertSafeScope(scope: CleanupScope): void {
  if (scope.prefix === '' || !scope.prefix.endsWith('/')) {
    throw new Error(`refusing to clean up under "${scope.prefix}": the test prefix must be a non-empty folder ending in "/"`);
  }
  if (Number.isNaN(scope.cutoff.getTime())) throw new Error('refusing to clean up: the cutoff is not a time');
}

/** Plans the deletion of old test files from a listing (any order, any content). */
export function planCleanup(listing: Iterable<ListedVersion>, scope: CleanupScope): CleanupPlan {
  assertSafeScope(scope);
  const cutoff = scope.cutoff.getTime();
  const byKey = new Map<string, ListedVersion[]>();
  for (const entry of listing) {
    if (!entry.key.startsWith(scope.prefix)) continue;
    const versions = byKey.get(entry.key);
    if (versions) versions.push(entry);
    else byKey.set(entry.key, [entry]);
  }
  const plan: CleanupPlan = { targets: [], keys: 0, bytes: 0, extraVersions: 0, oldest: null, newest: null, sample: [], unmarkedKept: 0 };
  for (const key of [...byKey.keys()].sort()) {
    const versions = byKey.get(key)!;
    // A key is as new as its newest version or marker: one recent write keeps the whole key.
    const newest = Math.max(...versions.map((v) => v.lastModified.getTime()));
    if (!(newest < cutoff)) continue;
    if (scope.marked && !scope.marked.has(key)) {
      plan.unmarkedKept += 1;
      continue;
    }
    plan.keys += 1;
    plan.extraVersions += versions.length - 1;
    if (plan.sample.length < SAMPLE_KEYS) plan.sample.push(key);
    const seen = new Set<string>();
    for (const v of versions) {
      if (seen.has(v.versionId)) continue;
      seen.add(v.versionId);
      plan.targets.push({ key, versionId: v.versionId, size: v.isDeleteMarker ? 0 : v.size, isDeleteMarker: v.isDeleteMarker });
      plan.bytes += v.isDeleteMarker ? 0 : v.size;
      const at = v.lastModified.getTime();
      if (plan.oldest === null || at < plan.oldest.getTime()) plan.oldest = v.lastModified;
      if (plan.newest === null || at > plan.newest.getTime()) plan.newest = v.lastModified;
    }
  }
  return plan;
}

/** The cutoff for a cleanup asked at `now`: `olderThanDays` whole days back. */
export function cleanupCutoff(now: Date, olderThanDays: number): Date {
  return new Date(now.getTime() - olderThanDays * 86_400_000);
}

/** Splits targets into DeleteObjects batches (S3 takes at most 1,000 keys a call). */
export function deleteBatches<T>(targets: readonly T[], size = 1_000): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < targets.length; i += size) batches.push(targets.slice(i, i + size));
  return batches;
}
