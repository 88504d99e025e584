import { logReadBudget } from '../access-logs/read-window.js';
import { checkDuration } from './flags.js';
import { buildErrors, gatherErrors } from '../reports/errors.js';
import { requireBucket } from './bucket.js';
import type { CommandSpec } from './types.js';
import { parseDuration, stringFlag } from './values.js';

/** The periods `errors --since` offers; each maps to a CloudWatch period that gives a readable sparkline. */
export const ERRORS_SINCE = ['1h', '24h', '7d'] as const;
/** A day shows the daily pattern and yesterday's incident, at one point an hour. */
export const ERRORS_DEFAULT_SINCE = '24h';

/** `errors [bucket] [--since 1h|24h|7d]`: 4xx/5xx counts and rates, and latency, from request metrics. */
export const errorsCommand: CommandSpec = {
  verb: 'errors',
  summary: '4xx and 5xx errors against all requests, and latency, from request metrics',
  usage: 'errors [bucket] [--since 1h|24h|7d (default 24h)]',
  example: 'errors surgical-docs --since 24h',
  bucket: 'required',
  options: { since: { type: 'string' } },
  validate: (flags) => checkDuration(flags, 'since', ERRORS_SINCE),
  async run(ctx, args) {
    const bucket = requireBucket(args.bucket, 'errors');
    const windowMs = parseDuration(stringFlag(args.flags, 'since') ?? ERRORS_DEFAULT_SINCE)!;
    return buildErrors(await gatherErrors(ctx.aws, bucket, ctx.now(), windowMs, { logger: ctx.logger, logBudget: logReadBudget(ctx.config.uploads) }));
  },
};
