import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AlertActionDeps } from '../../alerts/actions.js';
import { ACKNOWLEDGE_ACTION } from '../../alerts/message.js';
import { registerAlertButton } from './alert-button.js';

/** Acknowledge on an alert message: someone is on it; no more reminders this episode. */
export function registerAcknowledgeAction(app: App, deps: AlertActionDeps & { logger: Logger }): void {
  registerAlertButton(app, deps, ACKNOWLEDGE_ACTION, (user) => ({ kind: 'acknowledge', user }));
}
