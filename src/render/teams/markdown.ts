/**
 * The markdown of Adaptive Card TextBlocks and facts in Teams: a CommonMark subset of bold,
 * italic, links and line-start lists, nothing else (no code, headings, tables or HTML). Literal
 * text is escaped only where Teams would otherwise read it as markup: a backslash escape shows as
 * a stray backslash on some Teams clients, and most text (bucket names, keys with `_` inside
 * words, `a * b`) is never markup. To know where emphasis would form, the line as sent (literal
 * text and the markup around it) is run through CommonMark's own emphasis rules.
 */
import { mentionAsText, parseInline } from '../../message/markup.js';
import { showControls } from '../visible.js';

/** One character of a line as sent: literal text (escaped when it must be) or markup we write. */
interface Char {
  c: string;
  literal: boolean;
  escaped: boolean;
  /** Inside a link's label, where a bracket would end the label. */
  inLabel?: boolean;
}

// Literal text is data: its hidden characters are shown, so it cannot hide or reorder what is around it.
const literal = (text: string, inLabel = false): Char[] => Array.from(showControls(text), (c) => ({ c, literal: true, escaped: false, ...(inLabel ? { inLabel } : {}) }));
const markup = (text: string): Char[] => Array.from(text, (c) => ({ c, literal: false, escaped: false }));

/** Escapes literal text so Teams shows it as it is, with a backslash only where one is needed. */
export function escapeTeamsMarkdown(text: string): string {
  return assemble(literal(text));
}

/** Literal text in bold. */
export function boldTeamsMarkdown(text: string): string {
  return text === '' ? '' : assemble([...markup('**'), ...literal(text), ...markup('**')]);
}

/**
 * Converts neutral markup to the markdown a Teams TextBlock understands: bold, italic and links
 * as they are; Teams has no inline code, so a code span becomes its literal text.
 */
export function toTeamsMarkdown(input: string): string {
  const chars = parseInline(input).flatMap((span): Char[] => {
    switch (span.kind) {
      case 'text':
      case 'code':
        return literal(span.text);
      case 'bold':
        return [...markup('**'), ...literal(span.text), ...markup('**')];
      case 'italic':
        return [...markup('_'), ...literal(span.text), ...markup('_')];
      case 'link':
        return [...markup('['), ...literal(span.text, true), ...markup(`](${span.url.replace(/[()\s]/g, encodeURIComponent)})`)];
      case 'mention':
        // A Slack user id means nothing to Teams; it is shown as the text Slack users would see it as.
        return literal(mentionAsText(span.user));
      case 'break':
        return markup('\n');
    }
  });
  return assemble(chars);
}

/** True when the markup is one code span and nothing else (a sparkline line): Teams shows it in a monospace font. */
export function wholeCodeSpan(markupText: string): string | null {
  const spans = parseInline(markupText.trim());
  return spans.length === 1 && spans[0]!.kind === 'code' ? spans[0]!.text : null;
}

function assemble(chars: Char[]): string {
  escapeListMarkers(chars);
  escapeLinks(chars);
  // Escaping one delimiter can let others pair differently; a few rounds settle any line.
  for (let round = 0; round < 8; round += 1) {
    const used = emphasisDelimiters(chars).filter((i) => chars[i]!.literal);
    if (used.length === 0) break;
    for (const i of used) chars[i]!.escaped = true;
  }
  return chars
    .map((ch, i) => {
      // A literal backslash is an escape only before ASCII punctuation (or a character escaped here).
      const next = chars[i + 1];
      if (ch.literal && ch.c === '\\' && next && (next.escaped || ASCII_PUNCTUATION.test(next.c))) return '\\\\';
      return ch.escaped ? `\\${ch.c}` : ch.c;
    })
    .join('');
}

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const PUNCTUATION = /^[\p{P}\p{S}]$/u;
const WHITESPACE = /^\s$/u;

/** `- `, `* ` and `1. ` at the start of a line make a list in Teams. */
function escapeListMarkers(chars: Char[]): void {
  for (let start = 0; start < chars.length; start += 1) {
    if (start > 0 && chars[start - 1]!.c !== '\n') continue;
    let i = start;
    while (i < start + 3 && chars[i]?.c === ' ') i += 1;
    const after = (k: number) => chars[k] === undefined || chars[k]!.c === ' ' || chars[k]!.c === '\t' || chars[k]!.c === '\n';
    const at = chars[i];
    if (at?.literal && (at.c === '-' || at.c === '*') && after(i + 1)) {
      at.escaped = true;
      continue;
    }
    let digits = i;
    while (digits < i + 9 && chars[digits]?.literal && /^\d$/.test(chars[digits]!.c)) digits += 1;
    if (digits > i && chars[digits]?.literal && chars[digits]!.c === '.' && after(digits + 1)) chars[digits]!.escaped = true;
  }
}

/**
 * Brackets as CommonMark pairs them: a `]` closes the nearest open `[`, and the pair is a link
 * when `(…)` follows; a literal `[` that would open a link is escaped. Inside a label we write,
 * any literal bracket is escaped, as it would end the label.
 */
function escapeLinks(chars: Char[]): void {
  const open: Char[] = [];
  chars.forEach((ch, i) => {
    if (ch.literal && ch.inLabel && (ch.c === '[' || ch.c === ']')) {
      ch.escaped = true;
      return;
    }
    if (ch.escaped) return;
    if (ch.c === '[') open.push(ch);
    if (ch.c !== ']') return;
    const opener = open.pop();
    if (opener?.literal && chars[i + 1]?.c === '(' && chars.slice(i + 2).some((c) => c.c === ')')) opener.escaped = true;
  });
}

interface Run {
  c: '*' | '_';
  /** Indices of the run's characters still available as delimiters, in order. */
  at: number[];
  length: number;
  canOpen: boolean;
  canClose: boolean;
}

/**
 * The indices of every character CommonMark's emphasis algorithm (spec 0.31, "process emphasis")
 * would use as an emphasis delimiter in this line; escaped characters are text.
 */
function emphasisDelimiters(chars: Char[]): number[] {
  const runs: Run[] = [];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!.c;
    if ((c !== '*' && c !== '_') || chars[i]!.escaped) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < chars.length && chars[end]!.c === c && !chars[end]!.escaped) end += 1;
    const before = i > 0 ? chars[i - 1]!.c : ' ';
    const after = end < chars.length ? chars[end]!.c : ' ';
    const left = !WHITESPACE.test(after) && (!PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before));
    const right = !WHITESPACE.test(before) && (!PUNCTUATION.test(before) || WHITESPACE.test(after) || PUNCTUATION.test(after));
    const at = Array.from({ length: end - i }, (_, k) => i + k);
    runs.push(
      c === '*'
        ? { c, at, length: at.length, canOpen: left, canClose: right }
        : { c, at, length: at.length, canOpen: left && (!right || PUNCTUATION.test(before)), canClose: right && (!left || PUNCTUATION.test(after)) },
    );
    i = end;
  }

  const used: number[] = [];
  const stack = [...runs];
  for (let closer = 0; closer < stack.length; ) {
    const close = stack[closer]!;
    if (!close.canClose || close.at.length === 0) {
      closer += 1;
      continue;
    }
    let opener = closer - 1;
    for (; opener >= 0; opener -= 1) {
      const open = stack[opener]!;
      if (open.c !== close.c || !open.canOpen || open.at.length === 0) continue;
      // The "rule of 3": a run that can both open and close pairs only when the lengths allow it.
      const both = open.canClose || close.canOpen;
      if (both && (open.length + close.length) % 3 === 0 && !(open.length % 3 === 0 && close.length % 3 === 0)) continue;
      break;
    }
    if (opener < 0) {
      if (!close.canOpen) stack.splice(closer, 1);
      else closer += 1;
      continue;
    }
    const open = stack[opener]!;
    const n = open.at.length >= 2 && close.at.length >= 2 ? 2 : 1;
    used.push(...open.at.splice(open.at.length - n, n), ...close.at.splice(0, n));
    // Delimiters between a matched pair can no longer match anything.
    stack.splice(opener + 1, closer - opener - 1);
    closer = opener + 1;
    if (open.at.length === 0) {
      stack.splice(opener, 1);
      closer -= 1;
    }
    if (close.at.length === 0) stack.splice(closer, 1);
  }
  return used;
}
