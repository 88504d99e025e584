/** One day's digest, gathered and built: what `/s3 digest`, the daily job and `s3-chatops digest` show. */
import type { AwsPorts } from '../../aws/ports.js';
import { ZoneClock } from '../../lib/schedule.js';
import { buildDigest } from './build.js';
import { gatherDigest, type DigestConfig, type GatherDigestOptions } from './gather.js';
import type { DigestData, DigestReport } from './types.js';

/** The figures read and the messages built from them. */
export interface Digest {
  data: DigestData;
  report: DigestReport;
}

/** Gathers everything the digest shows and builds its messages; never throws for a source that fails. */
export async function makeDigest(ports: AwsPorts, config: DigestConfig, options: GatherDigestOptions): Promise<Digest> {
  const data = await gatherDigest(ports, config, options);
  return { data, report: buildDigest(data) };
}

/** The local date (`schedules.timezone`) a digest asked for at `now` is for. */
export function digestDayAt(now: Date, timezone: string): string {
  return new ZoneClock(timezone).localDate(now.getTime());
}
