import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { pressAlertButton, REDIS_PRESS_NOT_ANSWERED, type AlertActionDeps } from '../../alerts/actions.js';
import { parseAlertButtonValue } from '../../alerts/message.js';
import type { AlertAction } from '../../alerts/types.js';
import { send } from '../commands.js';

/** Registers one alert button: ack at once, apply the press, and tell the presser only when it did nothing. */
export function registerAlertButton(app: App, deps: AlertActionDeps & { logger: Logger }, actionId: string | RegExp, toAction: (user: string, hours: number | undefined) => AlertAction | null): void {
  app.action<BlockAction<ButtonAction>>({ action_id: actionId }, async ({ ack, action, body, respond }) => {
    await ack();
    const log = deps.logger.child({ action: action.action_id, user: body.user.id });
    const value = parseAlertButtonValue(action.value);
    const pressed = value ? toAction(body.user.id, value.hours) : null;
    if (!value || !pressed) {
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: 'This button is not one I know; the message may be from an older version.' }, log);
      return;
    }
    try {
      const outcome = await pressAlertButton(deps, value.id, value.episode, pressed);
      // Worked: the alert message is edited by the worker, with a line in its thread saying who.
      if (!outcome.ok) await send(respond, { response_type: 'ephemeral', replace_original: false, text: outcome.problem }, log);
      else log.info({ alert: value.id, kind: pressed.kind }, 'alert button pressed');
    } catch (error) {
      log.error({ err: error, alert: value.id }, 'alert button failed');
      await send(respond, { response_type: 'ephemeral', replace_original: false, text: REDIS_PRESS_NOT_ANSWERED }, log);
    }
  });
}
