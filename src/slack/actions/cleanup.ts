import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { toMrkdwn } from '../../render/slack/mrkdwn.js';
import { checkCleanupConfirm } from '../../actions/cleanup-confirm.js';
import {
  CLEANUP_CANCEL_ACTION,
  CLEANUP_CONFIRM_ACTION,
  cleanupProgressMessage,
  mismatchedCleanupAuditText,
  refusedCleanupAuditText,
} from '../../actions/cleanup-messages.js';
import { cleanupTicketKey, openCleanupTicket } from '../../actions/cleanup-ticket.js';
import { slackMessenger } from '../../actions/slack-messenger.js';
import { renderSlack } from '../../render/slack/index.js';
import type { CommandArgs, CommandContext } from '../../commands/types.js';
import type { SlackFeatures } from '../features.js';
import { findBucket } from '../../config/load.js';
import { userMessageOf } from '../../lib/errors.js';
import { bucketLabel } from '../../reports/types.js';
import { send } from '../commands.js';
import { bucketFromButtonValue, CLEANUP_PREVIEW_ACTION, unknownBucketButtonText } from '../../message/status-buttons.js';
import { threadOf } from './test-upload.js';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../lib/redis.js';

interface CleanupActionDeps {
  /** The commands: the preview button runs `cleanup` as `/s3 cleanup` does. */
  features: Pick<SlackFeatures, 'commands'>;
  ctx: CommandContext;
  logger: Logger;
}

/** The deps and the key that seals and opens the previews' plans. */
interface SealedCleanupDeps extends CleanupActionDeps {
  ticketKey: Buffer;
}

/** Clean up test files (preview in the status message's thread), Delete (allowed users only, once, only its preview's plan) and Cancel (requester or allowed users). */
export function registerCleanupActions(app: App, deps: CleanupActionDeps): void {
  const sealed = { ...deps, ticketKey: cleanupTicketKey(deps.ctx.config.slack) };
  registerPreview(app, sealed);
  registerConfirm(app, sealed);
  registerCancel(app, sealed);
}

/** Whether the message a press came from carries a button `actionId` with exactly `value`: the press belongs to that preview. */
export function messageCarriesButton(message: unknown, actionId: string, value: string): boolean {
  const blocks = (message as { blocks?: unknown } | undefined)?.blocks;
  if (!Array.isArray(blocks)) return false;
  return blocks.some((block) => {
    const elements = (block as { elements?: unknown }).elements;
    return Array.isArray(elements) && elements.some((e) => (e as { action_id?: unknown }).action_id === actionId && (e as { value?: unknown }).value === value);
  });
}

/** The preview button: the `cleanup` command, as `/s3 cleanup` runs it, but the presser's own (they may Cancel it). */
function registerPreview(app: App, { features, ctx, logger }: SealedCleanupDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_PREVIEW_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const log = logger.child({ action: CLEANUP_PREVIEW_ACTION, user: body.user.id });
    const name = bucketFromButtonValue(action.value);
    const bucket = name === undefined ? undefined : findBucket(ctx.config, name);
    const spec = features.commands.find((c) => c.verb === 'cleanup');
    if (!bucket || !ctx.actions || !spec) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: bucket ? 'Cleanup is not available in this process.' : toMrkdwn(unknownBucketButtonText(name)) }, log);
      return;
    }
    // The plan carries its presser, so it is the presser's alone: never shared through the answer
    // pool, and not held to a slash command's deadline (the listing of a large prefix may take longer;
    // each S3 call keeps its own deadline).
    const args: CommandArgs = { bucket, flags: {}, requester: body.user.id };
    try {
      const { message } = await spec.run(ctx, args);
      const { channel, threadTs } = threadOf(body);
      if (channel) {
        try {
          await slackMessenger(client).post(channel, message, threadTs);
          return;
        } catch (error) {
          log.warn({ err: error, channel }, 'could not post the preview in the thread; answering through response_url');
        }
      }
      await send(respond, { response_type: 'in_channel', replace_original: false, ...renderSlack(message) }, log);
    } catch (error) {
      log.error({ err: error }, 'cleanup preview failed');
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: userMessageOf(error) }, log);
    }
  });
}

function registerConfirm(app: App, { ctx, logger, ticketKey }: SealedCleanupDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_CONFIRM_ACTION, async ({ ack, action, body, client, respond }) => {
    await ack();
    const user = body.user.id;
    const log = logger.child({ action: CLEANUP_CONFIRM_ACTION, user });
    const ephemeral = (text: string) => send(respond, { response_type: 'ephemeral', replace_original: false, text }, log);
    // Altered or misplaced presses are refused, and shown to the audit channel: they are not accidents.
    const auditMismatch = async (why: string) => {
      const audit = ctx.config.channels.audit;
      if (!audit) return;
      const text = mismatchedCleanupAuditText({ user, at: ctx.now(), why });
      await slackMessenger(client).post(audit, { summary: text, blocks: [{ kind: 'text', text }] }).catch((error: unknown) => log.warn({ err: error }, 'could not post the refused cleanup to the audit channel'));
    };
    const now = ctx.now();
    const check = checkCleanupConfirm(action.value, ticketKey, ctx.config, now);
    if (!check.ok && check.reason === 'not-sealed') {
      log.warn({ audit: true }, 'cleanup refused: the Delete button carries no plan this bot sealed');
      await ephemeral('This Delete button does not carry a cleanup plan this bot made (it was altered or comes from elsewhere); nothing was deleted. Ask for a new preview with `/s3 cleanup`.');
      await auditMismatch('carries no cleanup plan this bot sealed');
      return;
    }
    const ticket = check.ticket;
    // The whole payload is signed by Slack, so its message is the one the button was pressed on.
    if (!messageCarriesButton(body.message, CLEANUP_CONFIRM_ACTION, action.value ?? '')) {
      log.warn({ audit: true, bucket: ticket.bucket }, 'cleanup refused: the Delete press does not belong to the message it came from');
      await ephemeral('This Delete press does not match the preview it was pressed on; nothing was deleted. Press Delete on the preview itself, or ask for a new one with `/s3 cleanup`.');
      await auditMismatch(`is not the one of the preview it was pressed on (its plan names \`${ticket.bucket}\`)`);
      return;
    }
    if (!check.ok) {
      log.warn({ audit: true, bucket: ticket.bucket }, 'cleanup refused: the configuration changed since the preview');
      await ephemeral('The bucket or its test prefix is no longer configured as it was when this preview was made; nothing was deleted. Ask for a new preview with `/s3 cleanup`.');
      return;
    }
    const { bucket, cutoff, includeUnmarked } = check;
    const messenger = slackMessenger(client);
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
    const { channel } = threadOf(body);
    const ts = (body.message as { ts?: string } | undefined)?.ts ?? (body.container as { message_ts?: string } | undefined)?.message_ts;
    const message = channel && ts ? { channel, ts } : undefined;
    const label = bucketLabel(bucket);
    try {
      const outcome = await ctx.actions.cleanup.start({
        bucket: bucket.name,
        label,
        prefix: ticket.prefix,
        cutoff: cutoff.toISOString(),
        includeUnmarked,
        maxKeys: ticket.keys,
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
      await ephemeral(`Could not queue the cleanup: Redis did not answer within ${REDIS_COMMAND_TIMEOUT_MS / 1000} s. Nothing was deleted; press Delete again in a moment.`);
    }
  });
}

function registerCancel(app: App, { ctx, logger, ticketKey }: SealedCleanupDeps): void {
  app.action<BlockAction<ButtonAction>>(CLEANUP_CANCEL_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const user = body.user.id;
    const log = logger.child({ action: CLEANUP_CANCEL_ACTION, user });
    const ticket = openCleanupTicket(action.value, ticketKey);
    if (!ticket) {
      log.warn('cancel refused: the Cancel button carries no plan this bot sealed');
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: 'This Cancel button does not carry a cleanup plan this bot made; nothing changed.' }, log);
      return;
    }
    if (user !== ticket.requester && !ctx.config.cleanup.allowedUsers.includes(user)) {
      log.info({ bucket: ticket.bucket, requester: ticket.requester }, 'cancel refused: neither the requester nor an allowed user');
      const who = ticket.requester ? `<@${ticket.requester}>, who asked for it, or someone in \`cleanup.allowedUsers\`` : 'someone in `cleanup.allowedUsers`';
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: `Only ${who} may cancel this preview; it stays as it is.` }, log);
      return;
    }
    await send(respond, { replace_original: true, text: `Cleanup cancelled by <@${user}>; nothing was deleted.` }, log);
  });
}
