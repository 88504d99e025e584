import { buildOverview, gatherOverview } from '../reports/overview.js';
import { buildStatus, gatherStatus } from '../reports/status.js';
import type { CommandSpec } from './types.js';

/** `status [bucket]`: one bucket as the console shows it, or the fleet when several are configured. */
export const statusCommand: CommandSpec = {
  verb: 'status',
  summary: 'a bucket at a glance: size, objects, settings, request errors and what needs fixing; every bucket when none is named',
  usage: 'status [bucket]',
  example: 'status surgical-docs',
  bucket: 'optional',
  options: {},
  async run(ctx, args) {
    if (args.bucket) return buildStatus(await gatherStatus(ctx.aws, args.bucket, ctx.now()));
    return buildOverview(await gatherOverview(ctx.aws, ctx.config.buckets, ctx.now()));
  },
};
