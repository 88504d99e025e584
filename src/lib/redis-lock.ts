/**
 * A Redis lock that lives as long as its holder works: taken with SET NX PX, extended every third
 * of its TTL by a compare-and-pexpire (only while it still holds the holder's token), and released
 * by a compare-and-delete. The TTL only bounds how long a dead holder keeps others out; a live
 * holder keeps the lock however long its work takes (a Slack call waiting out Retry-After, say).
 * If the lock is lost (another holder has it, or no renewal was confirmed within the TTL while
 * Redis was away), `signal` aborts so the holder stops before its next side effect. The holder
 * gives up a tenth of the TTL early, timed on the monotonic clock from when the last confirmed
 * renewal was sent: a pause of its own (GC, a busy event loop) between checking and acting, or a
 * timer that fires late, still falls inside the key's life in Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// KEYS: lock. ARGV: token, ttl ms.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
// KEYS: lock. ARGV: token.
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The reason a held lock's signal aborts: another holder may be doing the same work now. */
export class LockLostError extends Error {
  constructor(readonly key: string) {
    super(`lost the lock ${key}; another worker may hold it now`);
    this.name = 'LockLostError';
  }
}

export interface LockOptions {
  /** How long the lock outlives a holder that stopped renewing it (died, hung, lost Redis). */
  ttlMs: number;
  /** How often the holder extends it; a third of the TTL by default. */
  renewEveryMs?: number;
}

/** A lock this process holds until `release`, or until `signal` aborts with a `LockLostError`. */
export interface HeldLock {
  readonly key: string;
  /** Aborts (reason: `LockLostError`) when the lock is no longer this holder's. */
  readonly signal: AbortSignal;
  /** Throws the `LockLostError` if the lock was lost: call it before each side effect. */
  assertHeld(): void;
  /** Stops renewing and deletes the lock if it is still this holder's. */
  release(): Promise<void>;
}

/** Takes `key` if nobody holds it and keeps renewing it; `null` when another holder has it. */
export async function acquireLock(redis: Redis, key: string, options: LockOptions): Promise<HeldLock | null> {
  const { ttlMs } = options;
  const renewEveryMs = Math.max(10, options.renewEveryMs ?? Math.floor(ttlMs / 3));
  // Held until this long after the last confirmed (re)start of the key's TTL, a tenth short of it.
  const heldForMs = ttlMs - Math.floor(ttlMs / 10);
  const token = `${process.pid}-${randomBytes(9).toString('base64url')}`;
  let confirmedAt = performance.now();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;

  const controller = new AbortController();
  const lose = () => {
    if (!controller.signal.aborted) controller.abort(new LockLostError(key));
  };
  const timeIsUp = () => performance.now() - confirmedAt >= heldForMs;
  let renewing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped || controller.signal.aborted) return;
    // The next renewal, or the moment the lock must be given up if none is confirmed before it.
    timer = setTimeout(tick, Math.max(0, Math.min(renewEveryMs, confirmedAt + heldForMs - performance.now())));
    // A renewal never keeps a process alive on its own.
    timer.unref();
  };
  const tick = () => {
    // The key expires ttlMs after the last renewal Redis applied; near that, it may be someone else's.
    if (timeIsUp()) {
      lose();
      return;
    }
    if (!renewing) {
      renewing = true;
      const sentAt = performance.now();
      redis
        .eval(RENEW, 1, key, token, ttlMs)
        .then(
          (renewed) => {
            if (renewed === 1) confirmedAt = sentAt;
            else lose();
          },
          // Redis away: keep trying; the check above gives up once the TTL has run out.
          () => undefined,
        )
        .finally(() => {
          renewing = false;
        });
    }
    schedule();
  };
  schedule();

  return {
    key,
    signal: controller.signal,
    assertHeld() {
      if (timeIsUp()) lose();
      controller.signal.throwIfAborted();
    },
    async release() {
      stopped = true;
      clearTimeout(timer);
      if (!controller.signal.aborted) {
        await redis.eval(UNLOCK, 1, key, token);
        return;
      }
      // Even once given up (a tenth of the TTL early) the key is most likely still this holder's:
      // deleting it (only under this token) lets the next holder in without waiting it out. Not
      // awaited: Redis may be what went away, and the holder must not hang on it.
      void redis.eval(UNLOCK, 1, key, token).catch(() => undefined);
    },
  };
}
