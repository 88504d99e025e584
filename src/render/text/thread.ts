import type { Message } from '../../message/model.js';
import { renderText, type TextOptions } from './render.js';

/** A message with its thread replies (the digest), as Slack posts them. */
export interface ThreadedMessage {
  main: Message;
  thread: readonly Message[];
}

/** A threaded message for a terminal: the channel message, then each thread reply under a rule saying which it is. */
export function renderThreadText(report: ThreadedMessage, options: TextOptions = {}): string {
  const parts = [renderText(report.main, options)];
  report.thread.forEach((message, i) => {
    parts.push(`--- thread reply ${i + 1} of ${report.thread.length} ---\n\n${renderText(message, options)}`);
  });
  return parts.join('\n');
}
