/** Server access log records in AWS's documented format, for the demo's log bucket and the tests' logs. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** The canonical user id of the bucket owner, as a record names it. */
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

/** `[06/Feb/2019:00:00:38 +0000]` for a time. */
export function accessLogTime(t: Date): string {
  return `[${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000]`;
}

/** One request as a record says it. */
export interface AccessLogRequest {
  bucket: string;
  at: Date;
  /** e.g. `REST.PUT.OBJECT`. */
  operation: string;
  key: string;
  status: number;
  requestId: string;
  /** The requester's ARN; `-` for an anonymous request. */
  requester: string;
  ip: string;
  error?: string;
  /** Bytes sent; `-` when absent. */
  size?: number;
  userAgent: string;
}

/** One record, every field in AWS's documented order. */
export function accessLogRecord(r: AccessLogRequest): string {
  const method = r.operation.split('.')[1] ?? 'GET';
  return [
    OWNER, r.bucket, accessLogTime(r.at), r.ip, r.requester, r.requestId, r.operation, r.key,
    `"${method} /${r.bucket}/${r.key} HTTP/1.1"`, String(r.status), r.error ?? '-', '-', r.size === undefined ? '-' : String(r.size), '42', '40', '"-"',
    `"${r.userAgent}"`, '-', 'hostid=', 'SigV4', 'TLS_AES_128_GCM_SHA256', 'AuthHeader', `${r.bucket}.s3.us-east-1.amazonaws.com`, 'TLSv1.3', '-', '-', 'us-east-1',
  ].join(' ');
}
