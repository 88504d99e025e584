import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { resolveBucket } from '../../commands/parse.js';
import { slackMessenger, type SlackMessageRef } from '../../actions/slack-messenger.js';
import type { CommandContext } from '../../commands/types.js';
import type { BucketConfig } from '../../config/schema.js';
import { userMessageOf } from '../../lib/errors.js';
import type { Message, Report } from '../../message/model.js';
import { renderSlack } from '../../render/slack/index.js';
import { toMrkdwn } from '../../render/slack/mrkdwn.js';
import { bucketLabel } from '../../reports/types.js';
import type { AnswerPool } from '../../commands/answer-pool.js';
import { askCommand } from '../../commands/ask-command.js';
import { send } from '../commands.js';
import type { SlackFeatures } from '../features.js';
import { BUSY_TEXT } from '../replies.js';
import { bucketFromButtonValue, TEST_UPLOAD_ACTION } from '../../message/status-buttons.js';

export interface TestUploadActionDeps {
  /** The commands: the button runs `test` as `/s3 test` does. */
  features: Pick<SlackFeatures, 'commands'>;
  /** The pool `/s3` asks through, so a press and a typed `/s3 test` share one upload and one limit. */
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/** Where a button's answer belongs: the thread of the message it is on. */
export function threadOf(body: BlockAction): { channel?: string; threadTs?: string } {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel: body.channel?.id, threadTs: message?.thread_ts ?? message?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts };
}

/**
 * Run test upload: the `test` command, asked as `/s3 test` asks it (the same bucket check, pool,
 * deadline, per-bucket guard and message), answered in the status message's thread: a "running"
 * line edited into the result. A press that joins an upload already running gets its result to itself.
 */
export function registerTestUploadAction(app: App, { features, pool, ctx, logger }: TestUploadActionDeps): void {
  app.action<BlockAction<ButtonAction>>(TEST_UPLOAD_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const log = logger.child({ action: TEST_UPLOAD_ACTION, user: body.user.id });
    const ephemeral = (text: string) => send(respond, { response_type: 'ephemeral', replace_original: false, text }, log);
    const spec = features.commands.find((c) => c.verb === 'test');
    if (!spec) {
      await ephemeral('Test uploads are not available in this process.');
      return;
    }
    const name = bucketFromButtonValue(action.value);
    const resolved = resolveBucket(spec, name === undefined ? [] : [name], ctx.config);
    if (typeof resolved === 'string' || !resolved.bucket) {
      await ephemeral(toMrkdwn(typeof resolved === 'string' ? resolved : 'Name a bucket for `test`.'));
      return;
    }
    const bucket = resolved.bucket;
    const answer = askCommand(pool, ctx, spec, { bucket, flags: {} });
    if (answer.kind === 'busy') {
      await ephemeral(BUSY_TEXT);
      return;
    }
    if (answer.kind === 'reused' || answer.joined) {
      // Its starter answers where it asked; this presser gets the same result, to itself alone.
      await answerEphemeral(answer.kind === 'reused' ? Promise.resolve(answer.value) : answer.promise, respond, log);
      return;
    }
    await answerInThread({ bucket, body, client, respond, log, report: answer.promise });
  });
}

async function answerEphemeral(report: Promise<Report>, respond: RespondFn, log: Logger): Promise<void> {
  try {
    const { message } = await report;
    await send(respond, { response_type: 'ephemeral', replace_original: false, ...renderSlack(message) }, log);
  } catch (error) {
    await send(respond, { response_type: 'ephemeral', replace_original: false, text: userMessageOf(error) }, log);
  }
}

interface ThreadAnswer {
  bucket: BucketConfig;
  body: BlockAction;
  client: Parameters<typeof slackMessenger>[0];
  respond: RespondFn;
  log: Logger;
  /** The command's answer, already asked for. */
  report: Promise<Report>;
}

async function answerInThread({ bucket, body, client, respond, log, report }: ThreadAnswer): Promise<void> {
  const label = bucketLabel(bucket);
  const messenger = slackMessenger(client);
  const { channel, threadTs } = threadOf(body);
  // Awaited after the thread's first line: handled now, so a failure meanwhile is not "unhandled".
  report.catch(() => undefined);
  let ref: SlackMessageRef | undefined;
  if (channel) {
    ref = await messenger
      .post(channel, { summary: `Running a test upload to ${label}…`, blocks: [{ kind: 'text', text: `Running a test upload to ${label} for <@${body.user.id}>…` }] }, threadTs)
      .catch((error: unknown) => {
        log.warn({ err: error, channel }, 'could not post in the thread; answering through response_url');
        return undefined;
      });
  }
  let message: Message;
  try {
    message = (await report).message;
  } catch (error) {
    // Refused or failed as `/s3 test` would be: the presser is told why, and the thread no longer says "running".
    log.error({ err: error }, 'test upload failed');
    const text = userMessageOf(error);
    await send(respond, { response_type: 'ephemeral', replace_original: false, text }, log);
    const ended = `The test upload to ${label} did not complete: ${text}`;
    if (ref) await messenger.update(ref, { summary: ended, blocks: [{ kind: 'text', text: ended }] }).catch((e: unknown) => log.warn({ err: e }, 'could not edit the test upload message'));
    return;
  }
  if (ref) {
    try {
      await messenger.update(ref, message);
      return;
    } catch (error) {
      log.warn({ err: error }, 'could not edit the test upload message; answering through response_url');
    }
  }
  await send(respond, { response_type: 'in_channel', replace_original: false, ...(threadTs ? { thread_ts: threadTs } : {}), ...renderSlack(message) }, log);
}
