import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AlertActionDeps } from '../../alerts/actions.js';
import { SNOOZE_ACTION } from '../../alerts/message.js';
import { registerAlertButton } from './alert-button.js';

/** Snooze 1 h / 4 h / 24 h on an alert message: no reminders until then. */
export function registerSnoozeAction(app: App, deps: AlertActionDeps & { logger: Logger }): void {
  registerAlertButton(app, deps, new RegExp(`^${SNOOZE_ACTION}_\\d+h$`), (user, hours) => (hours ? { kind: 'snooze', hours, user } : null));
}
