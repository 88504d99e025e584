export { renderText, type TextOptions } from './render.js';
export { escapeTerminal } from './escape.js';
