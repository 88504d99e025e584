/**
 * The neutral inline markup of the message model (`**bold**`, `_italic_`, `` `code` ``,
 * `[label](url)`, and a Slack user as `<@U123>`), parsed once so that every renderer converts
 * the same spans.
 */

export type Span =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'italic'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'mention'; user: string };

// Alternatives in priority order: code first so nothing inside a code span is read as markup.
// Italic needs a non-word character (or the edge) on both outer sides, so snake_case stays literal.
const TOKEN =
  /<@([UW][A-Z0-9]{2,})>|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)|\*\*([^*\n]+?)\*\*|(?<![\w\\])_([^_\s](?:[^_\n]*[^_\s])?)_(?!\w)/g;

/** Splits neutral markup into spans; anything that is not markup is a literal `text` span. */
export function parseInline(input: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of input.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) spans.push({ kind: 'text', text: input.slice(last, at) });
    if (m[1] !== undefined) spans.push({ kind: 'mention', user: m[1] });
    else if (m[2] !== undefined) spans.push({ kind: 'code', text: m[2] });
    else if (m[3] !== undefined && m[4] !== undefined) spans.push({ kind: 'link', text: m[3], url: m[4] });
    else if (m[5] !== undefined) spans.push({ kind: 'bold', text: m[5] });
    else if (m[6] !== undefined) spans.push({ kind: 'italic', text: m[6] });
    last = at + m[0].length;
  }
  if (last < input.length) spans.push({ kind: 'text', text: input.slice(last) });
  return spans;
}

/** The text a person reads, without markup: links become `label (url)`. */
export function stripMarkup(input: string): string {
  return parseInline(input)
    .map((s) => (s.kind === 'link' ? linkAsText(s.text, s.url) : s.kind === 'mention' ? mentionAsText(s.user) : s.text))
    .join('');
}

/** A Slack user for surfaces that cannot mention one: `@U123`. */
export function mentionAsText(user: string): string {
  return `@${user}`;
}

/** A link for surfaces without links: `label (url)`, or the bare url when they are the same. */
export function linkAsText(label: string, url: string): string {
  return label === url ? url : `${label} (${url})`;
}

/** Wraps literal text in a code span, so keys and names are never read as markup. */
export function code(text: string): string {
  // A backtick cannot appear inside a code span; a key that has one is shown as it is.
  return text.includes('`') || text.includes('\n') || text === '' ? text : `\`${text}\``;
}
