/** How a bucket-configuration change is named, for `/s3 changes`, status, the digest and the config-change alert. */
import type { ChangeSeen } from './alert-findings.js';
import { code, lit } from './markup.js';

/** Who, from where, with what: `` `user alice` from 203.0.113.7 (AWS CLI 2.15.0) `` in neutral markup. */
export function changeActor(change: Pick<ChangeSeen, 'principal' | 'sourceIp' | 'client'>): string {
  const where = change.sourceIp ? ` from ${lit(change.sourceIp)}` : '';
  return `${code(change.principal.label)}${where} (${lit(change.client)})`;
}

/** What a change did, in one line of neutral markup: its phrases, or the API call where the request says no more. */
export function changeWhat(change: Pick<ChangeSeen, 'call' | 'errorCode' | 'phrases' | 'source'>): string {
  const source = change.source === 'access-log' ? ' (from the server access log)' : '';
  if (change.errorCode) return `attempt: ${lit(change.call)} refused (${lit(change.errorCode)})${source}`;
  return `${change.phrases.length ? change.phrases.join('; ') : lit(change.call)}${source}`;
}
