import type { App, RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandContext } from '../commands/types.js';
import { userMessageOf } from '../lib/errors.js';
import { requestLogger } from '../lib/logger.js';
import { TurnQueue } from '../lib/turn-queue.js';
import type { Message, Report } from '../message/model.js';
import type { AnswerPool } from '../commands/answer-pool.js';
import type { SlackFeatures, SlackRendered } from './features.js';
import { BUSY_TEXT, responseTypeFor } from './replies.js';
import { postWithThread, withThreadFallbackNote } from './threaded.js';
import { answerKey, askCommand, withReuseNote } from '../commands/ask-command.js';

export interface SlashCommandDeps {
  features: SlackFeatures;
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/** The slash command this app answers (as in manifest.yml). */
export const SLASH_COMMAND = '/s3';

/** What the app needs from the registered slash command before Bolt's listeners run. */
export interface SlashCommand {
  /**
   * The acknowledgement that is itself the answer, when `body` is an `/s3` question answered
   * within the reuse time (and renderable into one message); undefined for anything else, which
   * then goes through the listener as usual. Synchronous, starts nothing, logs nothing.
   */
  reusedAck(body: unknown): Record<string, unknown> | undefined;
}

/**
 * `/s3`: acknowledge at once (bad input and "busy" go in the acknowledgement itself, as a recent
 * answer does through `reusedAck`), then compute behind the pool and answer through `response_url`.
 */
export function registerSlashCommand(app: App, deps: SlashCommandDeps): SlashCommand {
  const { features, pool, ctx, logger } = deps;
  // Everyone who joined one computation gets the same message: render it once for all of them.
  const renderedMessages = new WeakMap<Message, SlackRendered>();
  const render = (message: Message) => {
    let rendered = renderedMessages.get(message);
    if (!rendered) renderedMessages.set(message, (rendered = features.render(message)));
    return rendered;
  };
  // Everyone who joined one computation is answered when it ends: one answer sent per turn of the
  // event loop, so the acknowledgements of requests coming in meanwhile are not held up behind all of them.
  const turns = new TurnQueue();
  // A reused answer differs only by its age note: render it once per report and second of age.
  const reusedPayloads = new WeakMap<Report, { ageS: number; payload: Record<string, unknown> }>();
  const reusedPayload = (verb: string, report: Report, ageMs: number): Record<string, unknown> => {
    const ageS = Math.round(ageMs / 1000);
    const hit = reusedPayloads.get(report);
    if (hit?.ageS === ageS) return hit.payload;
    const message = withReuseNote(report.message, ageMs, pool.reuseMs);
    const payload = { response_type: responseTypeFor(verb, message), ...features.render(message) };
    reusedPayloads.set(report, { ageS, payload });
    return payload;
  };
  const reusedAck = (body: unknown): Record<string, unknown> | undefined => {
    const { command, text } = (body ?? {}) as { command?: unknown; text?: unknown };
    if (command !== SLASH_COMMAND) return undefined;
    const parsed = features.parse(typeof text === 'string' ? text : '');
    if (!parsed.ok || (parsed.spec.reuse ?? 'recent') !== 'recent') return undefined;
    const recent = pool.recent(answerKey(parsed.spec.verb, parsed.args));
    // An answer with a thread is posted, not acknowledged; a rendering failure is the listener's to log.
    if (!recent || recent.value.thread?.length) return undefined;
    try {
      return reusedPayload(parsed.spec.verb, recent.value, recent.ageMs);
    } catch {
      return undefined;
    }
  };
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = features.parse(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...features.render(features.badInput(parsed.problem, parsed.usage)) } as never);
      return;
    }
    const { spec, args } = parsed;
    // Commands that act (a test upload, a cleanup preview) say how little of their answer may be shared.
    const answer = askCommand(pool, ctx, spec, args);
    if (answer.kind === 'busy') {
      await ack({ response_type: 'ephemeral', text: BUSY_TEXT });
      return;
    }
    // A reused answer that could go in the acknowledgement went there before Bolt ran (reusedAck);
    // one here has a thread, or could not be rendered: acknowledged empty, answered below.
    await ack();

    const log = requestLogger(logger, { verb: spec.verb, bucket: args.bucket?.name, user: command.user_id });
    const answerWith = async (report: Report, message: Message) => {
      await turns.next();
      if (report.thread?.length) {
        if (await postWithThread(client, command.channel_id, { message, thread: report.thread }, render, log)) return;
        message = withThreadFallbackNote(message);
      }
      await send(respond, { response_type: responseTypeFor(spec.verb, message), ...render(message) }, log);
    };
    try {
      if (answer.kind === 'reused') {
        await answerWith(answer.value, withReuseNote(answer.value.message, answer.ageMs, pool.reuseMs));
        return;
      }
      const report = await answer.promise;
      await answerWith(report, report.message);
    } catch (error) {
      log.error({ err: error }, 'command failed');
      await turns.next();
      await send(respond, { response_type: 'ephemeral', text: userMessageOf(error) }, log);
    }
  });
  return { reusedAck };
}

/** Posts to `response_url`; a failure (expired URL, Slack down) is logged, never thrown. */
export async function send(respond: RespondFn, body: Record<string, unknown>, log: Logger): Promise<void> {
  try {
    await respond(body as never);
  } catch (error) {
    log.warn({ err: error }, 'could not answer through response_url');
  }
}
