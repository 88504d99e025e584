/**
 * Lays a table out in aligned columns for monospace surfaces (a Slack code block, a terminal).
 * Cells are literal text, not markup: object keys may contain anything.
 */

const NUMERIC = /^[-+]?[$]?[\d,]+(\.\d+)?\s?[A-Za-z%]*$/;

export interface AlignOptions {
  /** Cells longer than this are shortened with `…` in the middle, keeping both ends of a key. */
  maxCell?: number;
}

/** Returns the header line, a rule line and one line per row; numeric columns align right. */
export function alignTable(columns: string[], rows: string[][], options: AlignOptions = {}): string[] {
  const clip = (cell: string): string => shorten(cell.replace(/\s+/g, ' '), options.maxCell ?? Infinity);
  const body = rows.map((row) => columns.map((_, i) => clip(row[i] ?? '')));
  const head = columns.map(clip);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const numeric = head.map((_, i) => body.length > 0 && body.every((r) => r[i] === '' || r[i] === '—' || NUMERIC.test(r[i] ?? '')));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
        return numeric[i] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

function width(text: string): number {
  return Array.from(text).length;
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const keep = max - 1;
  const front = Math.ceil(keep / 2);
  return `${chars.slice(0, front).join('')}…${chars.slice(chars.length - (keep - front)).join('')}`;
}
