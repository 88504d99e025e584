import { parseInline } from '../markup.js';

/** Escapes the three characters Slack reserves for its own markup: `&`, `<`, `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Converts neutral markup to Slack mrkdwn, escaping literal text. */
export function toMrkdwn(markup: string): string {
  return parseInline(markup)
    .map((span) => {
      switch (span.kind) {
        case 'text':
          return escapeMrkdwn(span.text);
        case 'bold':
          return `*${escapeMrkdwn(span.text)}*`;
        case 'italic':
          return `_${escapeMrkdwn(span.text)}_`;
        case 'code':
          return `\`${escapeMrkdwn(span.text)}\``;
        case 'link':
          return `<${escapeMrkdwn(span.url)}|${escapeMrkdwn(span.text)}>`;
        case 'mention':
          return `<@${span.user}>`;
      }
    })
    .join('');
}
