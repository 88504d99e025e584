/** Words printed for a person to paste back into a shell. */

/** `word` as one shell word: bare when it is safe, single-quoted otherwise. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9._/:=@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
