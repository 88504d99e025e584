export { renderInlineText, renderText, type TextOptions } from './render.js';
export { escapeTerminal, escapeTerminalLines } from './escape.js';
