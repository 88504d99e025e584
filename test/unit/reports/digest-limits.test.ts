/**
 * The digest stays inside Slack's limits for every fleet size from 1 to 200, with ordinary data
 * and with hostile data (the longest names, error messages and alert lists), and nothing is ever
 * folded away by the renderer's last-resort block cap: every bucket is really shown.
 */
import fc from 'fast-check';
import type { types as slack } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { renderSlack, SLACK_LIMITS } from '../../../src/render/slack/index.js';
import { buildDigest } from '../../../src/reports/digest/build.js';
import type { DigestBucket, DigestData, DigestReport, Part } from '../../../src/reports/digest/types.js';
import type { HygieneFinding } from '../../../src/reports/hygiene.js';
import { fleetDigest } from './digest-fixtures.js';

function checkMessage(out: { text: string; blocks: slack.KnownBlock[] }): void {
  expect(out.text.length).toBeGreaterThan(0);
  expect(out.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  expect(out.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of out.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of b.elements) if ('text' in e && typeof e.text === 'string') {
        expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
        // The renderer folds blocks past 50 into this line; the digest must never need it.
        expect(e.text).not.toMatch(/Left out to fit/);
      }
    }
  }
}

/** Every bucket's name appears exactly once across the thread, or in the main message when there is no thread. */
function checkEveryBucketShown(data: DigestData, report: DigestReport): void {
  const detail = (report.thread.length > 0 ? report.thread : [report.main]).map((m) => JSON.stringify(renderSlack(m).blocks)).join('\n');
  for (const b of data.buckets) expect(detail.split(`\`${b.bucket.name}\``).length - 1 + detail.split(`*${b.bucket.name}*`).length - 1).toBe(1);
}

function checkReport(data: DigestData): void {
  const report = buildDigest(data);
  checkMessage(renderSlack(report.main));
  for (const m of report.thread) checkMessage(renderSlack(m));
  checkEveryBucketShown(data, report);
}

describe('digest within Slack limits', () => {
  it('for every fleet size from 1 to 200 buckets', async () => {
    const all = await fleetDigest(200);
    for (let n = 1; n <= 200; n += 1) checkReport({ ...all, buckets: all.buckets.slice(0, n) });
  });

  it('for every fleet size from 1 to 200 buckets with access logs, each naming many long requesters', async () => {
    const all = await fleetDigest(200);
    const requester = (i: number) => `assumed-role ${'VeryLongRoleName'.repeat(8)}/session-${i}`;
    const accessLog = {
      failed: 400,
      byRequester: Array.from({ length: 50 }, (_, i) => ({ requester: requester(i), uploads: 1_000 - i, failed: 8 })),
      denied: { count: 900, byRequester: Array.from({ length: 10 }, (_, i) => ({ label: requester(i), count: 90 })) },
      newestRecordAt: new Date('2026-11-26T16:00:00Z'),
    };
    const buckets = all.buckets.map((b) => ({ ...b, uploads: { ok: true as const, value: { count: 99_999, bytes: 9e12, scanned: 0, atLeast: true, accessLog } } }));
    for (let n = 1; n <= 200; n += 1) checkReport({ ...all, buckets: buckets.slice(0, n) });
  });

  it('with the longest names, error messages and alert lists anyone could configure or cause', async () => {
    const base = (await fleetDigest(1)).buckets[0]!;
    const long = (n: number) => fc.string({ minLength: n, maxLength: n * 2 });
    const failure = <T>(): fc.Arbitrary<Part<T>> => long(2000).map((problem) => ({ ok: false as const, reason: 'failed' as const, problem }));
    const finding: fc.Arbitrary<HygieneFinding> = fc.record({
      id: fc.constant('policy-public' as const),
      severity: fc.constantFrom('critical' as const, 'warning' as const, 'info' as const),
      title: long(500),
      why: fc.constant('why'),
      fix: fc.constant('fix'),
    });
    const bucket: fc.Arbitrary<DigestBucket> = fc.record({
      bucket: fc.record({ name: fc.constant(`b${'x'.repeat(61)}`), alias: fc.option(long(300), { nil: undefined }) }),
      storage: fc.oneof(fc.constant(base.storage), failure<never>()),
      uploads: fc.oneof(
        fc.constant(base.uploads),
        failure<never>(),
        // A listing used because the access log could not be read, with the longest reason.
        long(2000).map((accessLogProblem) => ({ ok: true as const, value: { count: 5, bytes: 5, scanned: 10_000, atLeast: true, accessLogProblem } })),
        fc.record({
          ok: fc.constant(true as const),
          value: fc.record({
            count: fc.nat(),
            bytes: fc.nat(),
            scanned: fc.constant(0),
            atLeast: fc.boolean(),
            accessLog: fc.record({
              failed: fc.nat(),
              byRequester: fc.array(fc.record({ requester: long(400), uploads: fc.nat(), failed: fc.nat() }), { maxLength: 30 }),
              denied: fc.record({ count: fc.nat(), byRequester: fc.array(fc.record({ label: long(400), count: fc.nat() }), { maxLength: 30 }) }),
              newestRecordAt: fc.option(fc.constant(new Date(0)), { nil: null }),
            }),
          }),
        }),
      ),
      requests: fc.oneof(fc.constant(base.requests), failure<never>()),
      alerts: fc.oneof(
        failure<never>(),
        fc.record({
          ok: fc.constant(true as const),
          value: fc.record({ fired: fc.nat(), resolved: fc.nat(), firing: fc.array(fc.record({ rule: long(400), since: fc.constant(new Date(0)) }), { maxLength: 30 }) }),
        }),
      ),
      testUploads: fc.oneof(failure<never>(), fc.constant({ ok: true as const, value: { runs: 24, failures: 24, slowestMs: 9e9 } })),
      hygiene: fc.oneof(failure<never>(), fc.array(finding, { maxLength: 12 }).map((value) => ({ ok: true as const, value }))),
    });
    const data = await fleetDigest(1);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), bucket, async (n, one) => {
        // Unique names keep the "every bucket shown once" check meaningful.
        const buckets = Array.from({ length: n }, (_, i) => ({ ...one, bucket: { ...one.bucket, name: `${one.bucket.name.slice(0, 58)}-${String(i).padStart(4, '0')}` } }));
        checkReport({ ...data, buckets });
      }),
      { numRuns: 40 },
    );
  });
});
