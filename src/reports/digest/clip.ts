/**
 * Text from outside the digest (error messages, rule names, configured aliases and prefixes) is
 * clipped, so no one bucket's lines can grow without bound and push a message past Slack's limits.
 */
export const MAX_PROBLEM = 300;
export const MAX_NAME = 80;
export const MAX_TITLE = 200;

export { clip } from '../../message/format.js';
