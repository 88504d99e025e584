import { underDeadline } from '../commands/deadline-context.js';
import type { CommandArgs, CommandContext, CommandSpec } from '../commands/types.js';
import type { Report } from '../message/model.js';
import type { Answer, AnswerPool } from './answer-pool.js';
import { answerKey } from './replies.js';

/**
 * Asks a command as `/s3` does, whether typed or pressed as a button: through the pool (identical
 * questions share one computation, the rest wait their turn or are told the bot is busy), with the
 * command's own sharing and deadline, its AWS calls carrying that deadline; a question that joined
 * a run under way gets the answer as the command words it for a joiner. `fresh` skips a recent answer.
 */
export function askCommand(pool: AnswerPool<Report>, ctx: CommandContext, spec: CommandSpec, args: CommandArgs, options: { fresh?: boolean } = {}): Answer<Report> {
  const answer = pool.ask(answerKey(spec.verb, args), (signal) => spec.run(underDeadline(ctx, signal), args), {
    reuse: spec.reuse ?? 'recent',
    ...(options.fresh ? { fresh: true } : {}),
    ...(spec.deadlineMs ? { deadlineMs: spec.deadlineMs } : {}),
  });
  const { joined } = spec;
  if (answer.kind !== 'computing' || !answer.joined || !joined) return answer;
  return { ...answer, promise: answer.promise.then((report) => joined(report, args)) };
}
