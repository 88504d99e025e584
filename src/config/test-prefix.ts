/**
 * Which test prefixes are safe to clean up under. Cleanup deletes under this prefix, so a prefix
 * that is empty, names the bucket's root, climbs out of a folder or blurs with whitespace is
 * refused at start rather than trusted.
 */

/** Why `prefix` cannot be a test prefix, or `null` when it can. */
export function testPrefixProblem(prefix: string): string | null {
  if (prefix === '') return 'the test prefix cannot be empty: cleanup would then reach the whole bucket';
  if (prefix.trim() !== prefix) return `the test prefix "${prefix}" starts or ends with whitespace; write the folder without it`;
  // Control characters are legal in keys but invisible in a config file and in chat.
  if (/[\u0000-\u001f\u007f]/.test(prefix)) return 'the test prefix contains a control character';
  if (!prefix.endsWith('/')) return `the test prefix must end with "/" so it names a folder ("${prefix}" alone would also match "${prefix}-real-data/…")`;
  if (prefix.startsWith('/')) return `the test prefix "${prefix}" starts with "/"; S3 keys have no leading slash, write it as "${prefix.replace(/^\/+/, '')}"`;
  const segments = prefix.slice(0, -1).split('/');
  if (segments.some((s) => s === '')) return `the test prefix "${prefix}" has an empty folder ("//"); write each folder once`;
  if (segments.some((s) => s === '.' || s === '..')) return `the test prefix "${prefix}" has a "." or ".." folder; name the test folder itself, without traversal`;
  if (segments.some((s) => s.trim() !== s)) return `the test prefix "${prefix}" has a folder that starts or ends with whitespace`;
  return null;
}
