import { checkIntInRange } from './flags.js';
import { buildCosts, DEFAULT_COST_DAYS, gatherCosts } from '../reports/costs.js';
import type { CommandSpec } from './types.js';
import { parseIntInRange, stringFlag } from './values.js';

/** `costs [--days N]`: S3 spend month to date, forecast, budget, and the daily trend. */
export const costsCommand: CommandSpec = {
  verb: 'costs',
  summary: 'S3 cost month to date, against last month, the month-end forecast and the budget',
  usage: `costs [--days N (1–90, default ${DEFAULT_COST_DAYS})]`,
  example: 'costs --days 30',
  bucket: 'none',
  options: { days: { type: 'string' } },
  validate: (flags) => checkIntInRange(flags, 'days', 1, 90),
  async run(ctx, args) {
    const days = parseIntInRange(stringFlag(args.flags, 'days') ?? '', 1, 90) ?? DEFAULT_COST_DAYS;
    return buildCosts(await gatherCosts(ctx.aws, ctx.config, ctx.now(), days));
  },
};
