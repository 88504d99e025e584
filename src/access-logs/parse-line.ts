/** Reads one S3 server access log line into a record, or `null` when the line is not one. */
import { type AccessLogRecord, KNOWN_FIELDS, MIN_FIELDS } from './record.js';

const SPACE = 32;
const QUOTE = 34;
const OPEN_BRACKET = 91;

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/**
 * Splits a line into fields: space-separated, `"…"` and `[…]` kept whole without their
 * delimiters. `null` for an unterminated quote or bracket (a truncated line).
 */
export function splitFields(line: string): string[] | null {
  const fields: string[] = [];
  const length = line.length;
  let i = 0;
  while (i < length) {
    const c = line.charCodeAt(i);
    if (c === QUOTE || c === OPEN_BRACKET) {
      const close = c === QUOTE ? '"' : ']';
      // A quoted field ends at a closing quote followed by a space or the end of the line, so a
      // stray quote inside a user agent does not split it.
      let end = line.indexOf(close, i + 1);
      while (end !== -1 && end + 1 < length && line.charCodeAt(end + 1) !== SPACE) end = line.indexOf(close, end + 1);
      if (end === -1) return null;
      fields.push(line.slice(i + 1, end));
      i = end + 2;
    } else {
      let end = line.indexOf(' ', i);
      if (end === -1) end = length;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** `06/Feb/2019:00:00:38 +0000` as a Date; `null` when it is not that shape. */
export function parseLogTime(text: string): Date | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const month = MONTHS[m[2]!];
  if (month === undefined) return null;
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const ms = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMinutes * 60_000;
  return Number.isNaN(ms) ? null : new Date(ms);
}

const text = (field: string | undefined): string | null => (field === undefined || field === '-' || field === '' ? null : field);

/** A count field: digits, or `-`; `undefined` for anything else (the line is not a record). */
function count(field: string | undefined): number | null | undefined {
  if (field === undefined || field === '-') return null;
  if (!/^\d{1,15}$/.test(field)) return undefined;
  return Number(field);
}

/** One log line as a record; `null` for a line that is not an access log record (too short, malformed). */
export function parseAccessLogLine(line: string): AccessLogRecord | null {
  // Real records start with the owner id; a bracket, quote or space there means noise.
  if (line.length < 40 || line.charCodeAt(0) === SPACE) return null;
  const f = splitFields(line.endsWith('\r') ? line.slice(0, -1) : line);
  if (!f || f.length < MIN_FIELDS) return null;
  const time = parseLogTime(f[2]!);
  if (!time) return null;
  const httpStatus = count(f[9]);
  const bytesSent = count(f[11]);
  const objectSize = count(f[12]);
  const totalTimeMs = count(f[13]);
  const turnAroundTimeMs = count(f[14]);
  if (httpStatus === undefined || bytesSent === undefined || objectSize === undefined || totalTimeMs === undefined || turnAroundTimeMs === undefined) return null;
  if (httpStatus !== null && (httpStatus < 100 || httpStatus > 599)) return null;
  const acl = text(f[25]);
  return {
    bucketOwner: text(f[0]),
    bucket: text(f[1]),
    time,
    remoteIp: text(f[3]),
    requester: text(f[4]),
    requestId: text(f[5]),
    operation: text(f[6]),
    key: text(f[7]),
    requestUri: text(f[8]),
    httpStatus,
    errorCode: text(f[10]),
    bytesSent,
    objectSize,
    totalTimeMs,
    turnAroundTimeMs,
    referer: text(f[15]),
    userAgent: text(f[16]),
    versionId: text(f[17]),
    hostId: text(f[18]),
    signatureVersion: text(f[19]),
    cipherSuite: text(f[20]),
    authenticationType: text(f[21]),
    hostHeader: text(f[22]),
    tlsVersion: text(f[23]),
    accessPointArn: text(f[24]),
    aclRequired: acl === null ? null : acl === 'Yes',
    sourceRegion: text(f[26]),
    extraFields: f.length > KNOWN_FIELDS ? f.slice(KNOWN_FIELDS) : [],
  };
}
