import type { ObjectSummary } from './ports.js';

/**
 * Keeps the newest `limit` objects offered to it and drops the rest, so a listing of millions
 * of keys holds at most `limit` summaries in memory. Ties on time keep the earlier-offered one.
 */
export class NewestObjects {
  /** Oldest first, at most `limit` long. */
  private readonly kept: ObjectSummary[] = [];

  constructor(private readonly limit: number) {}

  /** Offers one object; it is kept only while it is among the newest `limit`. */
  offer(object: ObjectSummary): void {
    if (this.limit <= 0) return;
    const time = object.lastModified.getTime();
    if (this.kept.length === this.limit && time <= this.kept[0]!.lastModified.getTime()) return;
    // Binary search for the first kept object newer than this one.
    let low = 0;
    let high = this.kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.kept[mid]!.lastModified.getTime() <= time) low = mid + 1;
      else high = mid;
    }
    this.kept.splice(low, 0, object);
    if (this.kept.length > this.limit) this.kept.shift();
  }

  /** The kept objects, newest first. */
  newestFirst(): ObjectSummary[] {
    return [...this.kept].reverse();
  }
}
