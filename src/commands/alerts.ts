import { buildAlerts } from '../alerts/report.js';
import { UserFacingError } from '../lib/errors.js';
import { REDIS_COMMAND_TIMEOUT_MS } from '../lib/redis.js';
import { bucketLabel } from '../reports/types.js';
import type { CommandSpec } from './types.js';

/** `alerts`: firing alerts, snoozed ones, and those resolved in the last 24 h (from the worker's state in Redis). */
export const alertsCommand: CommandSpec = {
  verb: 'alerts',
  summary: 'firing alerts, snoozed ones, and those resolved in the last 24 hours',
  usage: 'alerts',
  example: 'alerts',
  bucket: 'none',
  options: {},
  async run(ctx) {
    if (!ctx.alerts) throw new UserFacingError('redis_unavailable', 'Alerts live in Redis, and Redis is not reachable from here; check REDIS_URL.');
    let states;
    try {
      states = await ctx.alerts.list();
    } catch (error) {
      throw new UserFacingError('redis_unavailable', `Could not read the alerts: Redis did not answer within ${REDIS_COMMAND_TIMEOUT_MS / 1000} s; try again in a moment.`, { cause: error });
    }
    const labels = new Map(ctx.config.buckets.map((b) => [b.name, bucketLabel(b)]));
    return buildAlerts(states, ctx.now(), (name) => labels.get(name) ?? name);
  },
};
