import { ZoneClock } from '../lib/schedule.js';
import { buildDigest } from '../reports/digest/build.js';
import { gatherDigest } from '../reports/digest/gather.js';
import type { DigestData, DigestReport } from '../reports/digest/types.js';
import type { CommandSpec } from './types.js';

/** What `digest --json` prints and what a surface that can thread posts: the data, and the whole digest. */
export interface DigestCommandData {
  digest: DigestData;
  report: DigestReport;
}

/**
 * `digest`: the daily digest, now. The answer is the channel message; an answer through
 * `response_url` cannot start a thread, so for a large fleet it says where the per-bucket detail
 * is, and carries the thread replies in its data for a surface that can post them.
 */
export const digestCommand: CommandSpec = {
  verb: 'digest',
  summary: 'the daily digest, now: every bucket\'s last 24 h, what needs attention, and the cost',
  usage: 'digest',
  example: 'digest',
  bucket: 'none',
  options: {},
  async run(ctx) {
    const now = ctx.now();
    const day = new ZoneClock(ctx.config.schedules.timezone).localDate(now.getTime());
    const digest = await gatherDigest(ctx.aws, ctx.config, { now, day });
    const report = buildDigest(digest, { detailWhere: 'in the thread of the scheduled digest, and in `s3-chatops digest`' });
    const data: DigestCommandData = { digest, report };
    return { message: report.main, data };
  },
};
