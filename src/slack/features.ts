import type { CommandArgs, CommandContext, CommandSpec } from '../commands/types.js';
import type { Message, Report } from '../message/model.js';

/** What the parser says about a line of `/s3` input. */
export type ParsedCommand =
  | { ok: true; spec: CommandSpec; args: CommandArgs }
  | { ok: false; problem: string; usage: string[] };

/** A message rendered for Slack: the fallback text and the Block Kit blocks. */
export interface SlackRendered {
  text: string;
  blocks: unknown[];
}

/**
 * What the Slack listeners need from the rest of the product: the commands, the parser, the
 * renderer and the App Home report. Injected so the listeners stay thin and testable.
 */
export interface SlackFeatures {
  commands: CommandSpec[];
  parse(text: string): ParsedCommand;
  badInput(problem: string, usage: string[]): Message;
  render(message: Message): SlackRendered;
  overview(ctx: CommandContext): Promise<Report>;
}
