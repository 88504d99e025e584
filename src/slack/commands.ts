import type { App, RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandContext } from '../commands/types.js';
import { userMessageOf } from '../lib/errors.js';
import { requestLogger } from '../lib/logger.js';
import type { Message, Report } from '../render/model.js';
import type { AnswerPool } from './answer-pool.js';
import type { SlackFeatures } from './features.js';
import { answerKey, BUSY_TEXT, responseTypeFor, withReuseNote } from './replies.js';
import { postWithThread, withThreadFallbackNote } from './threaded.js';

export interface SlashCommandDeps {
  features: SlackFeatures;
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/**
 * `/s3`: acknowledge at once (bad input and "busy" answered in the acknowledgement itself),
 * then compute behind the pool and answer through `response_url`.
 */
export function registerSlashCommand(app: App, deps: SlashCommandDeps): void {
  const { features, pool, ctx, logger } = deps;
  app.command('/s3', async ({ command, ack, respond, client }) => {
    const parsed = features.parse(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...features.render(features.badInput(parsed.problem, parsed.usage)) } as never);
      return;
    }
    const { spec, args } = parsed;
    const answer = pool.ask(answerKey(spec.verb, args), () => spec.run(ctx, args));
    if (answer.kind === 'busy') {
      await ack({ response_type: 'ephemeral', text: BUSY_TEXT });
      return;
    }
    await ack();

    const log = requestLogger(logger, { verb: spec.verb, bucket: args.bucket?.name, user: command.user_id });
    const answerWith = async (report: Report, message: Message) => {
      if (report.thread?.length) {
        if (await postWithThread(client, command.channel_id, { message, thread: report.thread }, features.render, log)) return;
        message = withThreadFallbackNote(message);
      }
      await send(respond, { response_type: responseTypeFor(spec.verb, message), ...features.render(message) }, log);
    };
    if (answer.kind === 'reused') {
      await answerWith(answer.value, withReuseNote(answer.value.message, answer.ageMs, pool.reuseMs));
      return;
    }
    try {
      const report = await answer.promise;
      await answerWith(report, report.message);
    } catch (error) {
      log.error({ err: error }, 'command failed');
      await send(respond, { response_type: 'ephemeral', text: userMessageOf(error) }, log);
    }
  });
}

/** Posts to `response_url`; a failure (expired URL, Slack down) is logged, never thrown. */
export async function send(respond: RespondFn, body: Record<string, unknown>, log: Logger): Promise<void> {
  try {
    await respond(body as never);
  } catch (error) {
    log.warn({ err: error }, 'could not answer through response_url');
  }
}
