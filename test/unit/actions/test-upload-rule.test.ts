import { describe, expect, it } from 'vitest';
import { testUploadRule } from '../../../src/alerts/rules/test-upload.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';

const config = fileConfigSchema.parse({ buckets: [{ name: 'surgical-docs-bucket' }] });
const bucket = config.buckets[0]!;
const at = new Date('2026-11-26T09:00:00Z');

describe('test-upload rule', () => {
  it('defaults to 5,000 ms and can be switched off per bucket', () => {
    expect(testUploadRule.settings(config, bucket)).toEqual({ maxMs: 5_000 });
    expect(testUploadRule.settings(config, { ...bucket, thresholds: { 'test-upload': false } })).toBeNull();
  });

  it('fires on a failure, naming the step and the reason', () => {
    const verdict = testUploadRule.judge({ ok: false, totalMs: 40, startedAt: at, failure: { step: 'write', message: 'The bucket policy denies PutObject' } }, { maxMs: 5_000 });
    expect(verdict).toMatchObject({ status: 'firing', breachingSince: at, hasData: true });
    expect(alertFindingLine(verdict.finding)).toContain('write step: The bucket policy denies PutObject');
  });

  it('fires above the threshold and is ok at or below it', () => {
    expect(testUploadRule.judge({ ok: true, totalMs: 5_001, startedAt: at }, { maxMs: 5_000 }).status).toBe('firing');
    expect(testUploadRule.judge({ ok: true, totalMs: 5_000, startedAt: at }, { maxMs: 5_000 })).toMatchObject({ status: 'ok', breachingSince: null });
  });
});
