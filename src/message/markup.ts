/**
 * The neutral inline markup of the message model (`**bold**`, `_italic_`, `` `code` ``,
 * `[label](url)`, and a Slack user as `<@U123>`), parsed once so that every renderer converts
 * the same spans.
 *
 * Data never becomes markup: reports put every value that comes from data or people through
 * `lit` (literal text) or `code` (a code span). Both escape with a backslash, as CommonMark
 * does: `\x` is the character `x`, and `\n` a newline that belongs to the value (a raw newline
 * is a line break of the message). The parser hands renderers the value as it is, and each
 * renderer escapes it for its own surface.
 */

export type Span =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'italic'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'mention'; user: string }
  | { kind: 'break' };

// What a backslash escapes, as in CommonMark: ASCII punctuation, and `n` for a newline of the
// value. Before anything else a backslash is itself (`C:\Users` reads as written).
const ESCAPABLE = '[!-/:-@[-`{-~n]';

// One character of content: anything but the delimiter, a backslash or a line break; an escape; or a lone backslash.
const CHAR = (delimiter: string): string => `(?:[^${delimiter}\\\\\\n]|\\\\${ESCAPABLE}|\\\\(?!${ESCAPABLE}))`;
// The same, for the first and last character of italic, which are not whitespace.
const EDGE = `(?:[^_\\s\\\\]|\\\\${ESCAPABLE}|\\\\(?!${ESCAPABLE}))`;

// Alternatives in priority order: an escape first, then code so nothing inside a code span is
// read as markup. Italic needs a non-word character (or the edge) on both outer sides, so
// snake_case stays literal.
const TOKEN = new RegExp(
  [
    `\\\\(${ESCAPABLE})`,
    '\\n',
    '<@([UW][A-Z0-9]{2,})>',
    `\`(${CHAR('`')}+)\``,
    `\\[(${CHAR('\\]')}+)\\]\\((https?:\\/\\/[^\\s)\\\\]+|mailto:[^\\s)\\\\]+)\\)`,
    `\\*\\*(${CHAR('*')}+?)\\*\\*`,
    `(?<![\\w\\\\])_(${EDGE}(?:${CHAR('_')}*${EDGE})?)_(?!\\w)`,
  ].join('|'),
  'g',
);

/** Splits neutral markup into spans; anything that is not markup is a literal `text` span. */
export function parseInline(input: string): Span[] {
  const spans: Span[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') spans.push({ kind: 'text', text });
    text = '';
  };
  let last = 0;
  for (const m of input.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    text += input.slice(last, at);
    last = at + m[0].length;
    if (m[1] !== undefined) {
      text += unescapeChar(m[1]);
      continue;
    }
    flush();
    if (m[0] === '\n') spans.push({ kind: 'break' });
    else if (m[2] !== undefined) spans.push({ kind: 'mention', user: m[2] });
    else if (m[3] !== undefined) spans.push({ kind: 'code', text: unescape(m[3]) });
    else if (m[4] !== undefined && m[5] !== undefined) spans.push({ kind: 'link', text: unescape(m[4]), url: m[5] });
    else if (m[6] !== undefined) spans.push({ kind: 'bold', text: unescape(m[6]) });
    else if (m[7] !== undefined) spans.push({ kind: 'italic', text: unescape(m[7]) });
  }
  text += input.slice(last);
  flush();
  return spans;
}

function unescapeChar(c: string): string {
  return c === 'n' ? '\n' : c;
}

function unescape(content: string): string {
  return content.replace(new RegExp(`\\\\(${ESCAPABLE})`, 'g'), (_, c: string) => unescapeChar(c));
}

/** Literal text in neutral markup: any string, shown as it is and never read as markup. */
export function lit(text: string): string {
  // `_` inside a word cannot open or close italic, so `my_bucket` stays as it reads.
  return text.replace(/[\\`*[\]<]|_(?<!\w_)|_(?!\w)|\n/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A code span in neutral markup for any string (keys, names, ids), never read as markup. */
export function code(text: string): string {
  if (text === '') return '';
  return `\`${text.replace(/[\\`]|\n/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}\``;
}

/** The text a person reads, without markup: links become `label (url)`. */
export function stripMarkup(input: string): string {
  return parseInline(input).map(spanAsText).join('');
}

/** One span as the text a person reads. */
export function spanAsText(span: Span): string {
  switch (span.kind) {
    case 'link':
      return linkAsText(span.text, span.url);
    case 'mention':
      return mentionAsText(span.user);
    case 'break':
      return '\n';
    default:
      return span.text;
  }
}

/** A Slack user for surfaces that cannot mention one: `@U123`. */
export function mentionAsText(user: string): string {
  return `@${user}`;
}

/** A link for surfaces without links: `label (url)`, or the bare url when they are the same. */
export function linkAsText(label: string, url: string): string {
  return label === url ? url : `${label} (${url})`;
}
