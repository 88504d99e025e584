import { logReadBudget } from '../access-logs/read-window.js';
import { requireBucket } from './bucket.js';
import { checkDuration, checkNonEmpty } from './flags.js';
import { buildChanges, CHANGES_DEFAULT_WINDOW_MS, gatherChanges } from '../reports/changes.js';
import type { CommandSpec } from './types.js';
import { parseDuration, stringFlag } from './values.js';

/** `changes [bucket] [--since 7d] [--who PRINCIPAL]`: who changed the bucket's configuration, newest first. */
export const changesCommand: CommandSpec = {
  verb: 'changes',
  summary: 'who changed the bucket’s configuration (CloudTrail), newest first',
  usage: 'changes [bucket] [--since 7d] [--who PRINCIPAL]',
  example: 'changes surgical-docs --since 24h --who "assumed-role Deploy/*"',
  bucket: 'required',
  options: {
    since: { type: 'string' },
    who: { type: 'string' },
  },
  validate: (flags) => checkDuration(flags, 'since') ?? checkNonEmpty(flags, 'who'),
  async run(ctx, args) {
    const bucket = requireBucket(args.bucket, 'changes');
    const since = stringFlag(args.flags, 'since');
    const who = stringFlag(args.flags, 'who');
    const data = await gatherChanges(ctx.aws, bucket, ctx.now(), {
      sinceMs: since !== undefined ? parseDuration(since)! : CHANGES_DEFAULT_WINDOW_MS,
      logBudget: logReadBudget(ctx.config.uploads),
      logger: ctx.logger,
      ...(who ? { who } : {}),
    });
    return buildChanges(data);
  },
};
