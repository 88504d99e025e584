/**
 * The Teams bot's turn handler: a typed command (in a channel when mentioned, or in a personal
 * chat) is answered with a card from the same registry, reports and message model as `/s3`; a
 * press of a card's Universal Action replaces the card with its result. Thin: parse, call, render.
 */
import { ActivityTypes } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import { parseCommand } from '../commands/parse.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { AnswerPool } from '../commands/answer-pool.js';
import { askCommand, BUSY_TEXT, withReuseNote } from '../commands/ask-command.js';
import type { CommandArgs, CommandContext, CommandSpec } from '../commands/types.js';
import { userMessageOf } from '../lib/errors.js';
import { requestLogger } from '../lib/logger.js';
import { code } from '../message/markup.js';
import type { Message, Report } from '../message/model.js';
import { cardActivity, commandText, noteInvokeResponse } from './reply.js';
import { handleCardAction, type AskCommand, type CardActionDeps } from './actions.js';

export interface TeamsBotDeps extends Omit<CardActionDeps, 'ask'> {
  registry: CommandRegistry;
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/** The invoke name of a Universal Action press. */
export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';


/** Builds the handler the adapter runs for every authenticated activity. */
export function createTeamsBot(deps: TeamsBotDeps): (context: TurnContext) => Promise<void> {
  const { registry, pool, ctx, logger } = deps;
  // Asked as `/s3` asks: the same pool rules, deadline, joined note and reused-answer note; Teams waits for the answer.
  const ask: AskCommand = async (spec, args, options = {}) => {
    const answer = askCommand(pool, ctx, spec, args, options);
    if (answer.kind === 'busy') return 'busy';
    if (answer.kind === 'reused') return { ...answer.value, message: withReuseNote(answer.value.message, answer.ageMs, pool.reuseMs) };
    return answer.promise;
  };
  const actionDeps: CardActionDeps = { ...deps, ask };

  return async (context) => {
    const { activity } = context;
    const log = requestLogger(logger, { surface: 'teams', user: activity.from?.aadObjectId, conversation: activity.conversation?.conversationType });
    if (activity.type === ActivityTypes.Message) {
      await answerCommand(context, registry, ctx, ask, log);
      return;
    }
    if (activity.type === ActivityTypes.Invoke && activity.name === ADAPTIVE_CARD_ACTION) {
      let response;
      try {
        response = await handleCardAction(actionDeps, context, log);
      } catch (error) {
        log.error({ err: error }, 'card action failed');
        response = noteInvokeResponse(userMessageOf(error));
      }
      // The invoke response goes back in the HTTP answer, not through the connector.
      await context.sendActivity(response);
    }
    if (activity.type === ActivityTypes.ConversationUpdate && activity.membersAdded?.some((m) => m.id === activity.recipient?.id)) {
      // Installed in a team, a chat or for one person: say what it answers to.
      const help = registry.get('help');
      if (help) await answerWith(context, help, ask, log);
    }
    // Other activities (other members added, reactions) need no answer.
  };
}

/** Sends a card through the Bot Connector; a failure (Teams down, the call cut at its deadline) is logged, never thrown. */
async function reply(context: TurnContext, message: Message, log: Logger): Promise<boolean> {
  try {
    await context.sendActivity(cardActivity(message));
    return true;
  } catch (error) {
    log.warn({ err: error }, 'could not reply in Teams');
    return false;
  }
}

async function answerCommand(context: TurnContext, registry: CommandRegistry, ctx: CommandContext, ask: AskCommand, log: Logger): Promise<void> {
  const text = commandText(context.activity.text);
  const parsed = parseCommand(text === '' ? 'help' : text, registry, ctx.config);
  if (!parsed.ok) {
    await reply(context, usageAnswer(parsed.problem, parsed.usage), log);
    return;
  }
  await answerWith(context, parsed.spec, ask, log, parsed.args);
}

async function answerWith(context: TurnContext, spec: CommandSpec, ask: AskCommand, log: Logger, args: CommandArgs = { flags: {} }): Promise<void> {
  const runLog = log.child({ verb: spec.verb, bucket: args.bucket?.name });
  let report: Report | 'busy';
  try {
    report = await ask(spec, args);
  } catch (error) {
    runLog.error({ err: error }, 'command failed');
    await reply(context, textMessage(userMessageOf(error)), runLog);
    return;
  }
  if (report === 'busy') {
    await reply(context, textMessage(BUSY_TEXT), runLog);
    return;
  }
  if (!(await reply(context, report.message, runLog))) return;
  // A long answer's follow-ups (a digest's per-bucket detail) go as further replies.
  for (const part of report.thread ?? []) if (!(await reply(context, part, runLog))) return;
}

/** The answer to bad input: what was wrong, then the usage as it is typed to the bot. */
function usageAnswer(problem: string, usage: string[]): Message {
  return {
    summary: problem,
    blocks: [
      { kind: 'text', text: problem },
      { kind: 'context', text: usage.map((line) => code(line)).join('\n') },
    ],
  };
}

/** A one-line card. */
export function textMessage(text: string): Message {
  return { summary: text, blocks: [{ kind: 'text', text }] };
}
