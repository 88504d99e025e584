/**
 * Characters that change how text around them is shown rather than showing themselves: C0 and
 * C1 controls (ESC starts terminal sequences), DEL, bidi overrides and isolates, and invisible
 * marks. In data every surface shows them as escapes, so a value cannot hide, reorder or
 * restyle what is around it.
 */

// C0, DEL, C1; zero-width space, LRM/RLM, bidi embeddings/overrides, word joiner, bidi isolates, BOM.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Shows every control, bidi and invisible character as an escape: ESC as `\x1b`, U+202E as `\u202e`. */
export function showControls(text: string): string {
  return text.replace(HIDDEN, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const cp = c.codePointAt(0) ?? 0;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}
