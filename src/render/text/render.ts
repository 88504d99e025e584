import type { Block, Field, ListItem, Message, Severity } from '../../message/model.js';
import { linkAsText, mentionAsText, parseInline } from '../../message/markup.js';
import { alignTable } from '../table.js';
import { escapeTerminal } from './escape.js';

export interface TextOptions {
  /** ANSI colours and bold; off unless asked, so output pipes cleanly. */
  color?: boolean;
}

const MARKERS: Record<Severity, string> = { ok: '✓', info: 'i', warning: '!', critical: '✗' };
const SEVERITY_COLOR: Record<Severity, number> = { ok: 32, info: 34, warning: 33, critical: 31 };

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  code(s: string): string;
  severity(sev: Severity, s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, code: (s) => s, severity: (_, s) => s };
// Outside a rendered message there is no colour to set code apart, so it keeps its backticks.
const quoted: Style = { ...plain, code: (s) => `\`${s}\`` };
const ansi: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  code: (s) => `\x1b[36m${s}\x1b[39m`,
  severity: (sev, s) => `\x1b[${SEVERITY_COLOR[sev]}m${s}\x1b[39m`,
};

/** Renders a message for a terminal: headings, aligned fields, marked lists, aligned tables; no buttons. */
export function renderText(message: Message, options: TextOptions = {}): string {
  const style = options.color ? ansi : plain;
  const parts = message.blocks.map((b) => renderBlock(b, style)).filter((p) => p !== '');
  if (parts.length === 0) parts.push(inline(message.summary, style));
  return `${parts.join('\n\n')}\n`;
}

function inline(markup: string, style: Style): string {
  return parseInline(markup)
    .map((s) => {
      switch (s.kind) {
        case 'text':
        case 'italic':
          return escapeTerminal(s.text);
        case 'bold':
          return style.bold(escapeTerminal(s.text));
        case 'code':
          return style.code(escapeTerminal(s.text));
        case 'link':
          return escapeTerminal(linkAsText(s.text, s.url));
        case 'mention':
          return mentionAsText(s.user);
        case 'break':
          return '\n';
      }
    })
    .join('');
}

/** Neutral markup for the terminal outside a message (errors, verdicts): data escaped, code spans in backticks. */
export function renderInlineText(markup: string): string {
  return inline(markup, quoted);
}

function renderBlock(block: Block, style: Style): string {
  switch (block.kind) {
    case 'header': {
      const text = inline(block.text, plain);
      return `${style.bold(text)}\n${'='.repeat(Array.from(text).length)}`;
    }
    case 'text':
      return inline(block.text, style);
    case 'context':
      return style.dim(inline(block.text, plain));
    case 'divider':
      return '-'.repeat(40);
    case 'fields':
      return fields(block.fields, style);
    case 'list':
      return list(block.title, block.items, style);
    case 'table':
      return table(block.columns, block.rows, style);
    case 'actions':
      return '';
  }
}

function fields(list: Field[], style: Style): string {
  const labels = list.map((f) => inline(f.label, plain));
  const width = Math.max(0, ...labels.map((l) => Array.from(l).length)) + 1;
  return list
    .map((f, i) => {
      const label = `${labels[i]}:`.padEnd(width);
      const value = inline(f.value, style).replace(/\n/g, `\n${' '.repeat(width + 1)}`);
      return `${style.bold(label)} ${value}`.trimEnd();
    })
    .join('\n');
}

function list(title: string | undefined, items: ListItem[], style: Style): string {
  const lines = title ? [style.bold(inline(title, plain))] : [];
  for (const item of items) {
    const marker = item.severity ? style.severity(item.severity, MARKERS[item.severity]) : '-';
    lines.push(`  ${marker} ${inline(item.text, style)}`);
    if (item.detail) lines.push(...inline(item.detail, style).split('\n').map((l) => `      ${l}`));
  }
  return lines.join('\n');
}

function table(columns: string[], rows: string[][], style: Style): string {
  // Cells are data: escaped before they are aligned, so the columns line up as shown.
  const [head = '', rule = '', ...body] = alignTable(columns.map(escapeTerminal), rows.map((row) => row.map(escapeTerminal)));
  return [style.bold(head), rule, ...(body.length > 0 ? body : ['(none)'])].join('\n');
}
