import { bucketS3 } from '../../aws/fleet.js';
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { code } from '../../message/markup.js';
import { toMrkdwn } from '../../render/slack/mrkdwn.js';
import type { ActionDeps } from '../../actions/deps.js';
import { slackMessenger, type SlackMessageRef } from '../../actions/slack-messenger.js';
import { renderSlack } from '../../render/slack/index.js';
import type { TestUploadResult } from '../../actions/test-upload.js';
import { runConfiguredTestUpload } from '../../actions/test-upload-settings.js';
import { TestUploadGuard } from '../../actions/test-upload-guard.js';
import { testUploadMessage } from '../../actions/test-upload-message.js';
import type { CommandContext } from '../../commands/types.js';
import { findBucket } from '../../config/load.js';
import type { BucketConfig } from '../../config/schema.js';
import { bucketLabel } from '../../reports/types.js';
import { send } from '../commands.js';
import { bucketFromButtonValue } from './refresh.js';

/** The action id of the Run test upload button on the status message. */
export const TEST_UPLOAD_ACTION = 'test_upload';

/** Where a button's answer belongs: the thread of the message it is on. */
export function threadOf(body: BlockAction): { channel?: string; threadTs?: string } {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel: body.channel?.id, threadTs: message?.thread_ts ?? message?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts };
}

/** Run test upload: a "running" line in the status message's thread, edited into each step's time or the failure. */
export function registerTestUploadAction(app: App, deps: { ctx: CommandContext; logger: Logger }): void {
  const { ctx, logger } = deps;
  // The entry point shares its guard with `/s3 test`; without one, presses still share this one.
  const ownGuard = new TestUploadGuard();
  app.action<BlockAction<ButtonAction>>(TEST_UPLOAD_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const log = logger.child({ action: TEST_UPLOAD_ACTION, user: body.user.id });
    const name = bucketFromButtonValue(action.value);
    const bucket = name === undefined ? undefined : findBucket(ctx.config, name);
    if (!bucket || !ctx.actions) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: bucket ? 'Test uploads are not available in this process.' : toMrkdwn(`${code(name ?? '')} is not a configured bucket.`) }, log);
      return;
    }
    // One test upload per bucket at a time, shared with `/s3 test`: repeated presses do not pile up
    // uploads, and the guard is free again when the upload ends, however long Slack takes to show it.
    const actions = ctx.actions;
    const upload = () => startTestUpload(ctx, actions, bucket, log);
    const { promise, joined } = (actions.uploadGuard ?? ownGuard).run(bucket.name, upload);
    if (joined) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: `A test upload to ${bucketLabel(bucket)} is already running; its result will appear in the thread.` }, log);
      return;
    }
    await answerInThread({ bucket, body, client, respond, log, result: promise });
  });
}

/** The test upload with the configured settings, against the S3 client of the bucket's account and region. */
async function startTestUpload(ctx: CommandContext, actions: ActionDeps, bucket: BucketConfig, log: Logger): Promise<TestUploadResult> {
  return runConfiguredTestUpload({ s3: await bucketS3(actions, bucket.name), logger: log, now: ctx.now, ...(actions.monitor ? { monitor: actions.monitor } : {}) }, ctx.config, bucket);
}

interface ThreadAnswer {
  bucket: BucketConfig;
  body: BlockAction;
  client: Parameters<typeof slackMessenger>[0];
  respond: RespondFn;
  log: Logger;
  /** The upload, already started. */
  result: Promise<TestUploadResult>;
}

async function answerInThread({ bucket, body, client, respond, log, result: running }: ThreadAnswer): Promise<void> {
  const label = bucketLabel(bucket);
  const messenger = slackMessenger(client);
  const { channel, threadTs } = threadOf(body);
  // Awaited after the thread's first line: handled now, so a failure meanwhile is not "unhandled".
  running.catch(() => undefined);
  let ref: SlackMessageRef | undefined;
  if (channel) {
    ref = await messenger
      .post(channel, { summary: `Running a test upload to ${label}…`, blocks: [{ kind: 'text', text: `Running a test upload to ${label} for <@${body.user.id}>…` }] }, threadTs)
      .catch((error: unknown) => {
        log.warn({ err: error, channel }, 'could not post in the thread; answering through response_url');
        return undefined;
      });
  }
  const result = await running;
  const message = testUploadMessage(result, label);
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
