import { withSignal } from '../aws/signalled-ports.js';
import type { CommandContext } from './types.js';

/** The context of one run under a deadline: its AWS ports and its Redis reads carry `signal`. */
export function underDeadline(ctx: CommandContext, signal: AbortSignal): CommandContext {
  return { ...ctx, aws: withSignal(ctx.aws, signal), signal };
}
