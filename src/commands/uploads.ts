import { requireBucket } from './bucket.js';
import { checkDuration, checkIntInRange, checkNonEmpty } from './flags.js';
import { logReadBudget } from '../access-logs/read-window.js';
import { buildUploads, gatherUploads } from '../reports/uploads.js';
import type { CommandSpec } from './types.js';
import { parseDuration, parseIntInRange, stringFlag } from './values.js';

/** `uploads [bucket] [--prefix P] [--limit N] [--since 24h]`: the newest objects, newest first. */
export const uploadsCommand: CommandSpec = {
  verb: 'uploads',
  summary: 'the newest objects, newest first, with size, time and storage class',
  usage: 'uploads [bucket] [--prefix P] [--limit N (1–100)] [--since 24h]',
  example: 'uploads surgical-docs --prefix reports/ --limit 20 --since 24h',
  bucket: 'required',
  options: {
    prefix: { type: 'string' },
    limit: { type: 'string' },
    since: { type: 'string' },
  },
  validate: (flags) =>
    checkNonEmpty(flags, 'prefix') ?? checkIntInRange(flags, 'limit', 1, 100) ?? checkDuration(flags, 'since'),
  async run(ctx, args) {
    const bucket = requireBucket(args.bucket, 'uploads');
    const limit = parseIntInRange(stringFlag(args.flags, 'limit') ?? '', 1, 100) ?? ctx.config.uploads.defaultLimit;
    const since = stringFlag(args.flags, 'since');
    const prefix = stringFlag(args.flags, 'prefix');
    const data = await gatherUploads(ctx.aws, bucket, ctx.now(), {
      limit,
      scanBudget: ctx.config.uploads.scanBudget,
      logBudget: logReadBudget(ctx.config.uploads),
      logger: ctx.logger,
      ...(prefix ? { prefix } : {}),
      ...(since !== undefined ? { sinceMs: parseDuration(since) } : {}),
    });
    return buildUploads(data);
  },
};
