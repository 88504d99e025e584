export { renderText, type TextOptions } from './render.js';
