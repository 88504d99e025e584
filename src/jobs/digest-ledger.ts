/**
 * What the digest job has done for one schedule slot, kept in Redis: the digest it built (so a
 * retry posts the same figures) and the `ts` of every message it posted (so a retry posts none
 * of them twice and threads the rest under the same parent).
 */
import type { Redis } from 'ioredis';
import type { DigestReport } from '../reports/digest/types.js';

/** What has been posted for a slot: the channel message's `ts` and each thread reply's, by index. */
export interface DigestPosted {
  main?: string;
  replies: Record<number, string>;
}

/** The record of one slot's digest; Redis in production, a Map in unit tests. */
export interface DigestLedger {
  posted(slot: string): Promise<DigestPosted>;
  /** The digest built for the slot, if one was kept. */
  report(slot: string): Promise<DigestReport | null>;
  /** Keeps `report` unless one is kept already, and returns the one kept: concurrent attempts agree on one. */
  keepReport(slot: string, report: DigestReport): Promise<DigestReport>;
  recordMain(slot: string, ts: string): Promise<void>;
  recordReply(slot: string, index: number, ts: string): Promise<void>;
}

/** How long a slot's record is kept: past any retry, and long enough to see what was posted. */
export const DIGEST_LEDGER_TTL_SECONDS = 3 * 86_400;

/** `DigestLedger` as one Redis hash per slot (`report`, `main`, `reply:<i>`), expiring after three days. */
export class RedisDigestLedger implements DigestLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 's3-chatops:digest:',
  ) {}

  private key(slot: string): string {
    return `${this.keyPrefix}${slot}`;
  }

  async posted(slot: string): Promise<DigestPosted> {
    const fields = await this.redis.hgetall(this.key(slot));
    const replies: Record<number, string> = {};
    for (const [field, value] of Object.entries(fields)) {
      const m = /^reply:(\d+)$/.exec(field);
      if (m) replies[Number(m[1])] = value;
    }
    return { ...(fields.main ? { main: fields.main } : {}), replies };
  }

  async report(slot: string): Promise<DigestReport | null> {
    const text = await this.redis.hget(this.key(slot), 'report');
    return text ? (JSON.parse(text) as DigestReport) : null;
  }

  async keepReport(slot: string, report: DigestReport): Promise<DigestReport> {
    const key = this.key(slot);
    const [[, , ], [, , ], [, kept]] = (await this.redis
      .multi()
      .hsetnx(key, 'report', JSON.stringify(report))
      .expire(key, DIGEST_LEDGER_TTL_SECONDS)
      .hget(key, 'report')
      .exec()) as [[Error | null, unknown], [Error | null, unknown], [Error | null, string | null]];
    return kept ? (JSON.parse(kept) as DigestReport) : report;
  }

  async recordMain(slot: string, ts: string): Promise<void> {
    await this.redis.multi().hset(this.key(slot), 'main', ts).expire(this.key(slot), DIGEST_LEDGER_TTL_SECONDS).exec();
  }

  async recordReply(slot: string, index: number, ts: string): Promise<void> {
    await this.redis.multi().hset(this.key(slot), `reply:${index}`, ts).expire(this.key(slot), DIGEST_LEDGER_TTL_SECONDS).exec();
  }
}

/** A ledger in memory, for one process: the command line and unit tests. */
export class MemoryDigestLedger implements DigestLedger {
  private readonly slots = new Map<string, { report?: DigestReport; posted: DigestPosted }>();

  private slot(slot: string) {
    let entry = this.slots.get(slot);
    if (!entry) this.slots.set(slot, (entry = { posted: { replies: {} } }));
    return entry;
  }

  async posted(slot: string): Promise<DigestPosted> {
    const p = this.slot(slot).posted;
    return { ...p, replies: { ...p.replies } };
  }

  async report(slot: string): Promise<DigestReport | null> {
    return this.slot(slot).report ?? null;
  }

  async keepReport(slot: string, report: DigestReport): Promise<DigestReport> {
    const entry = this.slot(slot);
    entry.report ??= report;
    return entry.report;
  }

  async recordMain(slot: string, ts: string): Promise<void> {
    this.slot(slot).posted.main = ts;
  }

  async recordReply(slot: string, index: number, ts: string): Promise<void> {
    this.slot(slot).posted.replies[index] = ts;
  }
}
