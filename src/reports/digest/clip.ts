/**
 * Text from outside the digest (error messages, rule names, configured aliases and prefixes) is
 * clipped, so no one bucket's lines can grow without bound and push a message past Slack's limits.
 */
export const MAX_PROBLEM = 300;
export const MAX_NAME = 80;
export const MAX_TITLE = 200;

/** Shortens text to `max` characters, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
