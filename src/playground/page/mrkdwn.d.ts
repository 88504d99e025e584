/** One piece of a parsed mrkdwn text. */
export type MrkdwnNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'code'; text: string }
  | { type: 'pre'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: MrkdwnNode[] }
  | { type: 'link'; url: string; text: string }
  | { type: 'mention'; text: string };

/** The emoji shortcodes the bot writes, as Slack shows them. */
export const EMOJI: Readonly<Record<string, string>>;
/** Undoes Slack's three escapes (`&amp;`, `&lt;`, `&gt;`). */
export function unescapeMrkdwn(text: string): string;
/** The URL a link may point at (http, https, mailto), or null. */
export function safeHref(url: string): string | null;
/** Parses one mrkdwn text into nodes. */
export function parseMrkdwn(text: string): MrkdwnNode[];
