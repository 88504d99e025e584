import { describe, expect, it } from 'vitest';
import { testUploadDigestSource, type TestUploadRun } from '../../../src/reports/digest/test-upload-source.js';

const SINCE = new Date('2026-03-09T09:00:00Z');
const at = (iso: string) => new Date(iso);

function reader(runs: TestUploadRun[] | (() => Promise<TestUploadRun[]>)) {
  const calls: Date[] = [];
  return {
    calls,
    reader: {
      runsSince: async (since: Date) => {
        calls.push(since);
        return typeof runs === 'function' ? runs() : runs;
      },
    },
  };
}

describe('testUploadDigestSource', () => {
  const runs: TestUploadRun[] = [
    { bucket: 'docs', ok: true, totalMs: 420, startedAt: at('2026-03-10T08:00:00Z') },
    { bucket: 'docs', ok: true, totalMs: 1_250, startedAt: at('2026-03-10T07:00:00Z') },
    { bucket: 'docs', ok: false, totalMs: 30_000, startedAt: at('2026-03-10T06:00:00Z') },
    // Before the day: not counted even if the reader returns it.
    { bucket: 'docs', ok: false, totalMs: 10, startedAt: at('2026-03-09T08:59:59Z') },
    { bucket: 'media', ok: false, totalMs: 5, startedAt: at('2026-03-10T08:00:00Z') },
  ];

  it('counts a bucket\'s runs and failures of the day; the slowest is the slowest run that passed', async () => {
    const source = testUploadDigestSource(reader(runs).reader);
    expect(await source.summary('docs', SINCE)).toEqual({ runs: 3, failures: 1, slowestMs: 1_250 });
  });

  it('says nothing about speed when no run passed, and none ran for a bucket without runs', async () => {
    const source = testUploadDigestSource(reader(runs).reader);
    expect(await source.summary('media', SINCE)).toEqual({ runs: 1, failures: 1 });
    expect(await source.summary('archive', SINCE)).toEqual({ runs: 0, failures: 0 });
  });

  it('reads the runs once for a whole digest, and again for the next day', async () => {
    const r = reader(runs);
    const source = testUploadDigestSource(r.reader);
    await Promise.all(['docs', 'media', 'archive'].map((b) => source.summary(b, SINCE)));
    expect(r.calls).toHaveLength(1);
    await source.summary('docs', new Date(SINCE.getTime() + 86_400_000));
    expect(r.calls).toHaveLength(2);
  });

  it('a failed read fails the summary and is tried again next time, not remembered', async () => {
    let fail = true;
    const r = reader(async () => {
      if (fail) throw new Error('Redis did not answer');
      return runs;
    });
    const source = testUploadDigestSource(r.reader);
    await expect(source.summary('docs', SINCE)).rejects.toThrow('Redis did not answer');
    fail = false;
    expect(await source.summary('docs', SINCE)).toMatchObject({ runs: 3 });
  });
});
