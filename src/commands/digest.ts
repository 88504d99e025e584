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
 * `digest`: the daily digest, now: the channel message, and for a large fleet the per-bucket
 * detail as thread replies, which a surface that can thread posts under it.
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
    const report = buildDigest(digest);
    const data: DigestCommandData = { digest, report };
    return { message: report.main, thread: report.thread, data };
  },
};
