import { COMMAND_DEADLINE_MS, deadlineSecondsOf, notAnsweredText } from '../aws/deadlines.js';
import { buildOverview, gatherOverview } from '../reports/overview.js';
import { buildStatus, gatherStatus } from '../reports/status.js';
import { untilAborted } from '../reports/unanswered.js';
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
    // Alert state (Redis) is read alongside AWS: a stall in one does not delay the other.
    const now = ctx.now();
    const state = readFiringAlerts(ctx);
    if (args.bucket) {
      const bucket = args.bucket;
      const [data, { alerts, unanswered }] = await Promise.all([gatherStatus(ctx.aws, bucket, now), state]);
      return buildStatus({
        ...data,
        ...(alerts ? { alerts: alerts[bucket.name] ?? [] } : {}),
        ...(unanswered ? { unanswered: [...(data.unanswered ?? []), unanswered] } : {}),
      });
    }
    const [data, { alerts, unanswered }] = await Promise.all([gatherOverview(ctx.aws, ctx.config.buckets, now), state]);
    return buildOverview({
      ...data,
      ...(alerts ? { buckets: data.buckets.map((b) => ({ ...b, alerts: alerts[b.bucket.name] ?? [] })) } : {}),
      ...(unanswered ? { unanswered: [...(data.unanswered ?? []), unanswered] } : {}),
    });
  },
};

/** Firing alerts by bucket, or `undefined` when alert state cannot be read (the report then leaves them out). */
export async function firingAlerts(ctx: Pick<CommandContext, 'alerts' | 'logger' | 'signal'>): Promise<ReturnType<typeof firingByBucket> | undefined> {
  return (await readFiringAlerts(ctx)).alerts;
}

/**
 * Firing alerts by bucket; when alert state cannot be read they are left out, and when Redis did
 * not answer before the run's deadline, `unanswered` says so.
 */
export async function readFiringAlerts(ctx: Pick<CommandContext, 'alerts' | 'logger' | 'signal'>): Promise<{ alerts?: ReturnType<typeof firingByBucket>; unanswered?: string }> {
  if (!ctx.alerts) return {};
  try {
    return { alerts: firingByBucket(await untilAborted(ctx.alerts.list(), ctx.signal)) };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not read alert state; the report leaves alerts out');
    if (ctx.signal?.aborted) return { unanswered: `${notAnsweredText('Redis', deadlineSecondsOf(ctx.signal, COMMAND_DEADLINE_MS))}: firing alerts are left out.` };
    return {};
  }
}
