import { showControls } from '../visible.js';

/**
 * The terminal's one escaping rule for data: control characters (ESC, and with it every CSI and
 * OSC sequence), DEL, C1 and bidi characters are shown as escapes (`\x1b`, `\u202e`), never sent
 * raw. Everything the CLI prints that comes from data or people goes through here.
 */
export function escapeTerminal(text: string): string {
  return showControls(text);
}

/** `escapeTerminal` for text of several lines (a configuration error's list): its line breaks stay. */
export function escapeTerminalLines(text: string): string {
  return text.split('\n').map(escapeTerminal).join('\n');
}
