/** Requesters as a person reads them, from what the log writes (ARNs, canonical ids, `-`). */

const ARN = /^arn:aws[a-z-]*:(sts|iam)::(\d+):(.+)$/;

/**
 * `arn:aws:sts::123:assumed-role/App/i-0ab` → `assumed-role App/i-0ab`;
 * `arn:aws:iam::123:user/alice` → `user alice`; `null` → `anonymous`; a canonical id is shortened.
 */
export function readableRequester(requester: string | null): string {
  if (requester === null) return 'anonymous';
  const m = ARN.exec(requester);
  if (m) {
    const resource = m[3]!;
    if (resource === 'root') return `root (${m[2]})`;
    const slash = resource.indexOf('/');
    return slash === -1 ? resource : `${resource.slice(0, slash)} ${resource.slice(slash + 1)}`;
  }
  // A canonical user id is 64 hex digits; its first 12 tell people apart in a table.
  if (/^[0-9a-f]{64}$/i.test(requester)) return `canonical ${requester.slice(0, 12)}…`;
  return requester;
}

/** A logged key (URL-encoded) as it reads in the bucket; the logged form where it does not decode. */
export function decodeLoggedKey(key: string | null): string {
  if (key === null) return '';
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
