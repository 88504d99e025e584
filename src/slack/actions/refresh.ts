import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { toMrkdwn } from '../../render/slack/mrkdwn.js';
import type { CommandArgs, CommandContext } from '../../commands/types.js';
import { findBucket } from '../../config/load.js';
import { userMessageOf } from '../../lib/errors.js';
import type { Report } from '../../message/model.js';
import type { AnswerPool } from '../../commands/answer-pool.js';
import { send } from '../commands.js';
import type { SlackFeatures } from '../features.js';
import { BUSY_TEXT } from '../replies.js';
import { askCommand } from '../../commands/ask-command.js';
import { bucketFromButtonValue, STATUS_REFRESH_ACTION, unknownBucketButtonText } from '../../message/status-buttons.js';

export interface RefreshDeps {
  features: SlackFeatures;
  pool: AnswerPool<Report>;
  ctx: CommandContext;
  logger: Logger;
}

/** Refresh: recompute the status report (skipping reused answers) and replace the message. */
export function registerRefreshAction(app: App, deps: RefreshDeps): void {
  const { features, pool, ctx, logger } = deps;
  app.action<BlockAction<ButtonAction>>(STATUS_REFRESH_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const log = logger.child({ action: STATUS_REFRESH_ACTION, user: body.user.id });
    const spec = features.commands.find((c) => c.verb === 'status');
    const name = bucketFromButtonValue(action.value);
    const bucket = name === undefined ? undefined : findBucket(ctx.config, name);
    if (!spec || (name !== undefined && !bucket)) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: toMrkdwn(unknownBucketButtonText(name)) }, log);
      return;
    }
    const args: CommandArgs = { bucket, flags: {} };
    const answer = askCommand(pool, ctx, spec, args, { fresh: true });
    if (answer.kind === 'busy') {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: BUSY_TEXT }, log);
      return;
    }
    try {
      const report = answer.kind === 'reused' ? answer.value : await answer.promise;
      await send(respond, { replace_original: true, ...features.render(report.message) }, log);
    } catch (error) {
      log.error({ err: error }, 'refresh failed');
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: userMessageOf(error) }, log);
    }
  });
}
