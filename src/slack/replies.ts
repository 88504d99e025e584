import type { Message } from '../message/model.js';

// Slack says "busy" as every surface does.
export { BUSY_TEXT } from '../commands/ask-command.js';

/**
 * Read answers go to the channel: in an incident everyone there needs the same figures, and the
 * Refresh button then updates the one message they all see. Help and anything a report marks
 * ephemeral stay with the person who asked.
 */
export function responseTypeFor(verb: string, message: Message): 'ephemeral' | 'in_channel' {
  return message.ephemeral || verb === 'help' ? 'ephemeral' : 'in_channel';
}
