import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { code } from '../../render/markup.js';
import { toMrkdwn } from '../../render/slack/mrkdwn.js';
import { cleanupCutoff } from '../../actions/cleanup-plan.js';
import {
  CLEANUP_CANCEL_ACTION,
  CLEANUP_CONFIRM_ACTION,
  CLEANUP_PREVIEW_ACTION,
  cleanupProgressMessage,
  parseCleanupButtonValue,
  refusedCleanupAuditText,
} from '../../actions/cleanup-messages.js';
import { previewCleanup } from '../../actions/cleanup-preview.js';
import { slackMessenger } from '../../actions/slack-messenger.js';
import { renderSlack } from '../../render/slack/index.js';
import type { CommandContext } from '../../commands/types.js';
import { findBucket } from '../../config/load.js';
import { userMessageOf } from '../../lib/errors.js';
import { bucketLabel } from '../../reports/types.js';
import { send } from '../commands.js';
import { bucketFromButtonValue } from './refresh.js';
import { threadOf } from './test-upload.js';

interface CleanupActionDeps {
  ctx: CommandContext;
  logger: Logger;
}

/** Clean up test files (preview in the status message's thread), Delete (allowed users only, once) and Cancel. */
export function registerCleanupActions(app: App, deps: CleanupActionDeps): void {
  registerPreview(app, deps);
  registerConfirm(app, deps);
  registerCancel(app, deps);
}

function registerPreview(app: App, { ctx, logger }: CleanupActionDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_PREVIEW_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const log = logger.child({ action: CLEANUP_PREVIEW_ACTION, user: body.user.id });
    const name = bucketFromButtonValue(action.value);
    const bucket = name === undefined ? undefined : findBucket(ctx.config, name);
    if (!bucket || !ctx.actions) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: bucket ? 'Cleanup is not available in this process.' : toMrkdwn(`${code(name ?? '')} is not a configured bucket.`) }, log);
      return;
    }
    try {
      const preview = await previewCleanup(ctx.actions.s3, bucket, ctx.config.cleanup.olderThanDays, ctx.now());
      const { channel, threadTs } = threadOf(body);
      if (channel) {
        try {
          await slackMessenger(client).post(channel, preview.message, threadTs);
          return;
        } catch (error) {
          log.warn({ err: error, channel }, 'could not post the preview in the thread; answering through response_url');
        }
      }
      await send(respond, { response_type: 'in_channel', replace_original: false, ...renderSlack(preview.message) }, log);
    } catch (error) {
      log.error({ err: error }, 'cleanup preview failed');
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: userMessageOf(error) }, log);
    }
  });
}

function registerConfirm(app: App, { ctx, logger }: CleanupActionDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_CONFIRM_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const user = body.user.id;
    const log = logger.child({ action: CLEANUP_CONFIRM_ACTION, user });
    const ephemeral = (text: string) => send(respond, { response_type: 'ephemeral', replace_original: false, text }, log);
    const value = parseCleanupButtonValue(action.value);
    const bucket = value ? findBucket(ctx.config, value.bucket) : undefined;
    if (!value || !bucket) {
      await ephemeral('This Delete button is not one I know, or its bucket is no longer configured; nothing was deleted. Ask for a new preview with `/s3 cleanup`.');
      return;
    }
    const messenger = slackMessenger(client);
    const now = ctx.now();
    if (!ctx.config.cleanup.allowedUsers.includes(user)) {
      log.warn({ audit: true, bucket: bucket.name }, 'cleanup refused: user not in cleanup.allowedUsers');
      await ephemeral(`Only the people listed in \`cleanup.allowedUsers\` may confirm a cleanup; nothing was deleted. Ask one of them to press Delete.`);
      const audit = ctx.config.channels.audit;
      if (audit) {
        const text = refusedCleanupAuditText({ user, bucket: bucket.name, at: now });
        await messenger.post(audit, { summary: text, blocks: [{ kind: 'text', text }] }).catch((error: unknown) => log.warn({ err: error }, 'could not post the refused cleanup to the audit channel'));
      }
      return;
    }
    if (!ctx.actions?.cleanup) {
      await ephemeral('Cleanup cannot be queued from this process (no queue); nothing was deleted.');
      return;
    }
    // The scope never widens: the prefix is the configured one, and the cutoff no later than the configured age allows now.
    const latest = cleanupCutoff(now, ctx.config.cleanup.olderThanDays);
    const cutoff = new Date(Math.min(Date.parse(value.cutoff), latest.getTime()));
    const { channel } = threadOf(body);
    const ts = (body.message as { ts?: string } | undefined)?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts;
    const message = channel && ts ? { channel, ts } : undefined;
    const label = bucketLabel(bucket);
    try {
      const outcome = await ctx.actions.cleanup.start({
        bucket: bucket.name,
        label,
        prefix: bucket.testPrefix,
        cutoff: cutoff.toISOString(),
        user,
        ...(message ? { message } : {}),
        ...(ctx.config.channels.audit ? { auditChannel: ctx.config.channels.audit } : {}),
      });
      if (!outcome.started) {
        await ephemeral(`This cleanup was already confirmed by <@${outcome.by}> and runs once; nothing more will be deleted for this press.`);
        return;
      }
      log.info({ audit: true, bucket: bucket.name, job: outcome.jobId, cutoff: cutoff.toISOString() }, 'cleanup confirmed and queued');
      // The buttons go at once; the worker edits the same message with progress and the summary.
      if (message) await messenger.update(message, cleanupProgressMessage(label, user, { deleted: 0, bytes: 0, total: 0, batches: 0, failures: [], failedCount: 0, done: false })).catch((error: unknown) => log.warn({ err: error }, 'could not edit the preview'));
    } catch (error) {
      log.error({ err: error }, 'could not queue the cleanup');
      await ephemeral('Could not queue the cleanup: Redis did not answer. Nothing was deleted; press Delete again in a moment.');
    }
  });
}

function registerCancel(app: App, { logger }: CleanupActionDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_CANCEL_ACTION, async ({ ack, body, respond }) => {
    await ack();
    const log = logger.child({ action: CLEANUP_CANCEL_ACTION, user: body.user.id });
    await send(respond, { replace_original: true, text: `Cleanup cancelled by <@${body.user.id}>; nothing was deleted.` }, log);
  });
}
