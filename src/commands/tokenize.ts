/**
 * Splits slash-command text into words the way a shell would, kindly: double and single quotes
 * (and the curly quotes Slack's clients type) group words, and a quote left open runs to the end.
 */
const OPENING_TO_CLOSING: Record<string, string> = { '"': '"', "'": "'", '\u201C': '\u201D', '\u2018': '\u2019' };

/** The words of a command text; never throws. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let closing: string | undefined;
  for (const ch of text) {
    if (closing !== undefined) {
      if (ch === closing) closing = undefined;
      else current += ch;
      continue;
    }
    const close = OPENING_TO_CLOSING[ch];
    if (close !== undefined) {
      closing = close;
      inWord = true;
    } else if (/\s/u.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words.map(normalizeDashes);
}

/** Slack's clients turn a typed `--` into an em or en dash; read it back as the flag it was. */
function normalizeDashes(word: string): string {
  return word.replace(/^[\u2014\u2013](?=[A-Za-z])/, '--');
}

/** Undoes the three HTML entities Slack escapes in slash-command text. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
