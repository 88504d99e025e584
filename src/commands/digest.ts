import { digestDayAt, makeDigest } from '../reports/digest/make.js';
import type { DigestData, DigestReport } from '../reports/digest/types.js';
import { digestSources } from '../alerts/digest-source.js';
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
/**
 * The digest reads every bucket: it may take longer than a report of one, and its sources that
 * still have not answered by then are named in it, as the scheduled digest names them.
 */
export const DIGEST_DEADLINE_MS = 25_000;

export const digestCommand: CommandSpec = {
  verb: 'digest',
  summary: 'the daily digest, now: every bucket\'s last 24 h, what needs attention, and the cost',
  usage: 'digest',
  example: 'digest',
  bucket: 'none',
  options: {},
  deadlineMs: DIGEST_DEADLINE_MS,
  async run(ctx) {
    const now = ctx.now();
    const day = digestDayAt(now, ctx.config.schedules.timezone);
    // The worker's alert states and test-upload results where this entry point reads its Redis.
    const sources = digestSources(ctx);
    const { data: digest, report } = await makeDigest(ctx.aws, ctx.config, { now, day, sources });
    const data: DigestCommandData = { digest, report };
    return { message: report.main, thread: report.thread, data };
  },
};
