import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccessLogLine } from '../../../src/access-logs/parse-line.js';
import { MAX_LINE_CHARS, parseAccessLog, parseAccessLogText } from '../../../src/access-logs/parse-stream.js';
import type { AccessLogRecord } from '../../../src/access-logs/record.js';
import { ALL_LINES, PUT_OBJECT } from '../../fixtures/access-logs/lines.js';

async function parseChunks(chunks: (Uint8Array | string)[]) {
  const records: AccessLogRecord[] = [];
  const stats = await parseAccessLog(chunks, (r) => records.push(r));
  return { records, stats };
}

/** Splits bytes at the given cut points. */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of sorted) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('parseAccessLog', () => {
  it('reads every fixture line of a log object and counts no unreadable line', async () => {
    const { records, stats } = await parseAccessLogText(`${ALL_LINES.join('\n')}\n`);
    expect(stats).toEqual({ lines: ALL_LINES.length, unreadable: 0 });
    expect(records.map((r) => r.requestId)).toEqual(ALL_LINES.map((l) => parseAccessLogLine(l)?.requestId));
  });

  it('counts broken lines instead of throwing, and still reads the good ones around them', async () => {
    const text = [PUT_OBJECT, 'garbage', PUT_OBJECT.slice(0, 120), '\u0000\u0001\u0002', PUT_OBJECT].join('\n');
    const { records, stats } = await parseAccessLogText(text);
    expect(records).toHaveLength(2);
    expect(stats).toEqual({ lines: 5, unreadable: 3 });
  });

  it('reads the same records however the bytes are split into chunks, even inside a UTF-8 character', async () => {
    const text = `${ALL_LINES.join('\n').replace('S3Console/0.4', 'S3Console/0.4 ünïcødé ✓')}\n`;
    const bytes = new TextEncoder().encode(text);
    const whole = await parseChunks([bytes]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 20 }), async (points) => {
        const split = await parseChunks(cut(bytes, points));
        expect(split.stats).toEqual(whole.stats);
        expect(split.records).toEqual(whole.records);
      }),
      { numRuns: 100 },
    );
    expect(whole.records.some((r) => r.userAgent?.includes('ünïcødé ✓'))).toBe(true);
  });

  it('counts an endless line once, as unreadable, without keeping it', async () => {
    const noise = 'x'.repeat(MAX_LINE_CHARS / 4);
    const { records, stats } = await parseChunks([noise, noise, noise, noise, noise, `\n${PUT_OBJECT}\n`]);
    expect(stats).toEqual({ lines: 2, unreadable: 1 });
    expect(records).toHaveLength(1);
  });
});

describe('parser properties', () => {
  it('never throws on arbitrary text, and counts every line of it as unreadable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 20 }), async (lines) => {
        const { records, stats } = await parseAccessLogText(lines.join('\n'));
        expect(records).toHaveLength(0);
        expect(stats.unreadable).toBe(stats.lines);
        expect(stats.lines).toBe(lines.flatMap((l) => l.split('\n')).filter((l) => l !== '' && l !== '\r').length);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on binary noise, and counts it as unreadable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 2_000 }), { maxLength: 5 }), async (chunks) => {
        const { records, stats } = await parseChunks(chunks);
        expect(records).toHaveLength(0);
        expect(stats.unreadable).toBe(stats.lines);
      }),
      { numRuns: 300 },
    );
  });

  it('counts a line truncated before its user agent as unreadable, and never misreads a longer cut', async () => {
    await fc.assert(
      fc.property(fc.constantFrom(...ALL_LINES), fc.nat(), (line, at) => {
        const whole = parseAccessLogLine(line)!;
        const truncated = line.slice(0, at % line.length);
        const record = parseAccessLogLine(truncated);
        // The user agent is the last field every record has; a cut before its closing quote loses it.
        if (at % line.length <= line.indexOf(`"${whole.userAgent}"`) + (whole.userAgent?.length ?? 0) + 1) expect(record).toBeNull();
        // A cut further on may leave a shorter record; its fields up to the user agent are the line's own.
        else if (record) expect([record.time, record.requester, record.operation, record.key, record.httpStatus, record.userAgent]).toEqual([whole.time, whole.requester, whole.operation, whole.key, whole.httpStatus, whole.userAgent]);
      }),
      { numRuns: 1_000 },
    );
  });
});
