import { buildOverview, gatherOverview } from '../reports/overview.js';
import { buildStatus, gatherStatus } from '../reports/status.js';
import { firingByBucket } from '../alerts/report.js';
import type { CommandContext, CommandSpec } from './types.js';

/** `status [bucket]`: one bucket as the console shows it, or the fleet when several are configured. */
export const statusCommand: CommandSpec = {
  verb: 'status',
  summary: 'a bucket at a glance: size, objects, settings, request errors and what needs fixing; every bucket when none is named',
  usage: 'status [bucket]',
  example: 'status surgical-docs',
  bucket: 'optional',
  options: {},
  async run(ctx, args) {
    const alerts = await firingAlerts(ctx);
    if (args.bucket) return buildStatus(await gatherStatus(ctx.aws, args.bucket, ctx.now(), alerts ? { alerts: alerts[args.bucket.name] ?? [] } : {}));
    return buildOverview(await gatherOverview(ctx.aws, ctx.config.buckets, ctx.now(), alerts ? { alerts } : {}));
  },
};

/** Firing alerts by bucket, or `undefined` when alert state cannot be read (the report then leaves them out). */
export async function firingAlerts(ctx: Pick<CommandContext, 'alerts' | 'logger'>): Promise<ReturnType<typeof firingByBucket> | undefined> {
  if (!ctx.alerts) return undefined;
  try {
    return firingByBucket(await ctx.alerts.list());
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not read alert state; the report leaves alerts out');
    return undefined;
  }
}
