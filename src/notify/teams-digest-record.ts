/** Which slots' digest cards went to the Teams webhook, so a retried or re-queued digest job posts its card once. */
import type { Redis } from 'ioredis';

/** How long a slot's record is kept: well past any retry of its job. */
const RECORD_TTL_SECONDS = 7 * 86_400;

/** The record of digest cards sent to Teams, under the deployment's key prefix. */
export class TeamsDigestRecord {
  private readonly p: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix = 's3-chatops:',
  ) {
    this.p = `${keyPrefix}teams:digest:`;
  }

  /** Whether a slot's digest card went to Teams. */
  async sent(slot: string): Promise<boolean> {
    return (await this.redis.exists(`${this.p}${slot}`)) === 1;
  }

  async markSent(slot: string): Promise<void> {
    await this.redis.set(`${this.p}${slot}`, '1', 'EX', RECORD_TTL_SECONDS);
  }
}
