import { parseInline } from '../markup.js';

// The characters Teams' markdown reads as markup; a backslash makes each literal.
const MARKDOWN_SPECIAL = /[\\`*_[\]]/g;

/** Escapes literal text so Teams shows it as it is (bucket names and keys may hold `_` and `*`). */
export function escapeTeamsMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * Converts neutral markup to the markdown a Teams TextBlock understands: bold, italic and links
 * as they are; Teams has no inline code, so a code span becomes its literal text.
 */
export function toTeamsMarkdown(markup: string): string {
  return parseInline(markup)
    .map((span) => {
      switch (span.kind) {
        case 'text':
        case 'code':
          return escapeTeamsMarkdown(span.text);
        case 'bold':
          return `**${escapeTeamsMarkdown(span.text)}**`;
        case 'italic':
          return `_${escapeTeamsMarkdown(span.text)}_`;
        case 'link':
          return `[${escapeTeamsMarkdown(span.text)}](${span.url.replace(/[()\s]/g, encodeURIComponent)})`;
      }
    })
    .join('');
}

/** True when the markup is one code span and nothing else (a sparkline line): Teams shows it in a monospace font. */
export function wholeCodeSpan(markup: string): string | null {
  const spans = parseInline(markup.trim());
  return spans.length === 1 && spans[0]!.kind === 'code' ? spans[0]!.text : null;
}
