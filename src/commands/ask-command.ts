import type { Message, Report } from '../message/model.js';
import type { Answer, AnswerPool } from './answer-pool.js';
import { underDeadline } from './deadline-context.js';
import type { CommandArgs, CommandContext, CommandSpec } from './types.js';

/** Told to a person, on any surface, when the pool's bounded queue is full. */
export const BUSY_TEXT = 'The bot is answering many questions right now; try again in a moment.';

/** The message with a line saying it is a reused answer and how old it is. */
export function withReuseNote(message: Message, ageMs: number, reuseMs: number): Message {
  const age = Math.max(0, Math.round(ageMs / 1000));
  const note = `_Answer from ${age} s ago, reused: identical questions within ${Math.round(reuseMs / 1000)} s share one answer._`;
  return { ...message, blocks: [...message.blocks, { kind: 'context', text: note }] };
}

/**
 * The key under which identical questions share one computation: the verb, the resolved
 * bucket (so an alias and the name are one question) and the flags, in a stable order.
 */
export function answerKey(verb: string, args: CommandArgs): string {
  const flags = Object.entries(args.flags)
    .filter(([, value]) => value !== undefined && value !== false)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([verb, args.bucket?.name ?? null, flags]);
}

/**
 * Asks a command of the registry as a chat surface does (Slack or Teams, typed or pressed as a
 * button): through the pool (identical questions share one computation, the rest wait their turn
 * or are told the bot is busy), with the command's own sharing and deadline, its AWS calls carrying
 * that deadline; a question that joined a run under way gets the answer as the command words it
 * for a joiner. `fresh` skips a recent answer.
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
