import { parseInline } from '../../message/markup.js';
import { showControls } from '../visible.js';

/** Escapes the three characters Slack reserves for its own markup: `&`, `<`, `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Slack has no escape for its formatting characters, so in data they are shown as look-alikes.
const LOOK_ALIKE: Record<string, string> = { '*': '\u2217', _: '\uff3f', '~': '\u223c', '`': '\u02cb' };

/**
 * Literal text as mrkdwn that shows it and nothing else: no mention, link, quote or formatting.
 * A `*`, `_` or `~` between two letters or digits cannot open or close formatting in Slack and
 * stays as it is (`my_bucket`); anywhere else it becomes a look-alike, as do backticks.
 */
export function slackLiteral(text: string): string {
  const shown = showControls(text)
    .replace(/[*_~]/gu, (c, at: number, s: string) => (isWordChar(s[at - 1]) && isWordChar(s[at + 1]) ? c : (LOOK_ALIKE[c] ?? c)))
    .replace(/`/g, LOOK_ALIKE['`']!)
    // `>` opening a line would quote it; `&gt;` is how Slack itself stores a quote.
    .replace(/^(\s*)>/, '$1\uff1e');
  return escapeMrkdwn(shown);
}

// A code span is kept whole when a long text is split, so it must fit well within a section.
const MAX_CODE_SPAN = 1_000;

/** A code span's text, shortened in the middle to at most `MAX_CODE_SPAN` characters. */
function clipCodeSpan(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= MAX_CODE_SPAN) return text;
  const half = (MAX_CODE_SPAN - 1) / 2;
  return `${chars.slice(0, Math.ceil(half)).join('')}…${chars.slice(chars.length - Math.floor(half)).join('')}`;
}

/** Text for a Slack code span or block, before `&<>` escaping: no backtick to close it, no raw control character. */
export function slackCodeText(text: string): string {
  return showControls(text).replace(/`/g, LOOK_ALIKE['`']!);
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /^[\p{L}\p{N}]$/u.test(c);
}

/** Converts neutral markup to Slack mrkdwn, escaping literal text. */
export function toMrkdwn(markup: string): string {
  return parseInline(markup)
    .map((span) => {
      switch (span.kind) {
        case 'text':
          return slackLiteral(span.text);
        case 'bold':
          return `*${slackLiteral(span.text)}*`;
        case 'italic':
          return `_${slackLiteral(span.text)}_`;
        case 'code':
          return `\`${escapeMrkdwn(slackCodeText(clipCodeSpan(span.text)))}\``;
        case 'link':
          return `<${escapeMrkdwn(span.url).replace(/\|/g, '%7C')}|${slackLiteral(span.text)}>`;
        case 'mention':
          return `<@${span.user}>`;
        case 'break':
          return '\n';
      }
    })
    .join('');
}
