/** Reads a whole log object, line by line as its bytes arrive, without holding it in memory. */
import { parseAccessLogLine } from './parse-line.js';
import type { AccessLogRecord } from './record.js';

/** A record is a few hundred bytes; a "line" past this is noise and is not kept in memory. */
export const MAX_LINE_CHARS = 64 * 1024;

export interface ParseStats {
  /** Non-empty lines seen. */
  lines: number;
  /** Lines that were not access log records: counted, never thrown. */
  unreadable: number;
}

/**
 * Feeds every record of a log stream to `onRecord` and counts the lines it could not read.
 * Bytes that are not UTF-8 become replacement characters; the line they are in is then judged
 * like any other.
 */
export async function parseAccessLog(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  onRecord: (record: AccessLogRecord) => void,
): Promise<ParseStats> {
  const stats: ParseStats = { lines: 0, unreadable: 0 };
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  // Set while dropping the rest of an overlong line, already counted as unreadable.
  let skipping = false;
  const take = (line: string): void => {
    if (line.length === 0 || line === '\r') return;
    stats.lines += 1;
    const record = parseAccessLogLine(line);
    if (record) onRecord(record);
    else stats.unreadable += 1;
  };
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      if (skipping) skipping = false;
      else take(text.slice(start, end));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    carry = skipping ? '' : text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      stats.lines += 1;
      stats.unreadable += 1;
      skipping = true;
      carry = '';
    }
  }
  const rest = carry + decoder.decode();
  if (!skipping) take(rest);
  return stats;
}

/** Every record of a log text at once; for tests and small inputs. */
export async function parseAccessLogText(text: string): Promise<{ records: AccessLogRecord[]; stats: ParseStats }> {
  const records: AccessLogRecord[] = [];
  const stats = await parseAccessLog([text], (r) => records.push(r));
  return { records, stats };
}
