import { describe, expect, it } from 'vitest';
import { cleanupAuditText, cleanupPreviewMessage, cleanupSummaryMessage } from '../../../src/actions/cleanup-messages.js';
import { planCleanup } from '../../../src/actions/cleanup-plan.js';
import { renderSlack } from '../../../src/render/slack/index.js';

const prefix = '_s3-chatops/test/';
const cutoff = new Date('2026-11-19T09:00:00Z');
const old = (key: string, days: number, size = 1_000) => ({ key, versionId: 'null', isDeleteMarker: false, isLatest: true, lastModified: new Date(cutoff.getTime() - days * 86_400_000), size });

describe('cleanup messages', () => {
  it('the preview shows count, size, oldest, newest and samples, with a danger Delete behind a confirm dialog and Cancel', () => {
    const plan = planCleanup([old(`${prefix}a.bin`, 3), old(`${prefix}b.bin`, 9), old('docs/c.pdf', 30)], { prefix, cutoff });
    const message = cleanupPreviewMessage({ bucket: 'docs-bucket', label: 'docs', prefix, olderThanDays: 7, cutoff, plan, includeUnmarked: false, buttonValue: 'sealed-plan' });
    const { blocks } = renderSlack(message);
    const json = JSON.stringify(blocks);
    expect(message.summary).toBe('Clean up docs: 2 objects (2.0 KB) would be deleted');
    expect(json).toContain('_s3-chatops/test/a.bin');
    expect(json).not.toContain('docs/c.pdf');
    const actions = (blocks as { type: string; elements?: Record<string, unknown>[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(actions[0]).toMatchObject({ action_id: 'cleanup_confirm', style: 'danger', confirm: { title: { text: 'Delete test files?' } } });
    // Both buttons carry the sealed plan, nothing a press could edit to mean something else.
    expect(actions[0]!.value).toBe('sealed-plan');
    expect(actions[1]).toMatchObject({ action_id: 'cleanup_cancel', value: 'sealed-plan' });
  });

  it('says there is nothing to delete, without buttons, when nothing is in scope', () => {
    const message = cleanupPreviewMessage({ bucket: 'b', label: 'b', prefix, olderThanDays: 7, cutoff, plan: planCleanup([], { prefix, cutoff }), includeUnmarked: false, buttonValue: 'v' });
    expect(message.blocks.some((b) => b.kind === 'actions')).toBe(false);
  });

  it('states which objects count: by default only tagged test files, with how many others are kept; with includeUnmarked, every old object', () => {
    const listing = [old(`${prefix}a.bin`, 3), old(`${prefix}b.bin`, 9)];
    const marked = planCleanup(listing, { prefix, cutoff, marked: new Set([`${prefix}a.bin`]) });
    const byDefault = JSON.stringify(renderSlack(cleanupPreviewMessage({ bucket: 'b', label: 'b', prefix, olderThanDays: 7, cutoff, plan: marked, includeUnmarked: false, buttonValue: 'v' })).blocks);
    expect(byDefault).toContain('Only objects the test upload wrote');
    expect(byDefault).toContain("1 old object under the prefix is not the test upload's and will be kept");
    expect(byDefault).toContain('cleanup.includeUnmarked: true');
    const all = planCleanup(listing, { prefix, cutoff });
    const wide = JSON.stringify(renderSlack(cleanupPreviewMessage({ bucket: 'b', label: 'b', prefix, olderThanDays: 7, cutoff, plan: all, includeUnmarked: true, buttonValue: 'v' })).blocks);
    expect(wide).toContain('is on: every old object under');
    expect(wide).not.toContain('Only objects the test upload wrote');
  });

  it('the summary names the keys deleted one at a time', () => {
    const progress = { deleted: 3, bytes: 30, total: 3, batches: 1, done: true, failures: [], failedCount: 0, deletedSingly: [`${prefix}ctl.bin`] };
    const shown = JSON.stringify(renderSlack(cleanupSummaryMessage('docs', 'U0ADMIN', progress, cutoff)).blocks);
    expect(shown).toContain('1 key deleted one at a time');
    expect(shown).toContain('ctl.bin');
  });

  it('the summary lists each failure and keeps the mention of who confirmed', () => {
    const message = cleanupSummaryMessage('docs', 'U0ADMIN', { deleted: 5, bytes: 50, total: 6, batches: 1, done: true, failedCount: 1, failures: [{ key: `${prefix}x.bin`, versionId: 'v1', code: 'AccessDenied', message: 'Access Denied' }] }, cutoff);
    const { text, blocks } = renderSlack(message);
    expect(text).toContain('<@U0ADMIN>');
    expect(JSON.stringify(blocks)).toContain('x.bin');
    expect(JSON.stringify(blocks)).toContain('AccessDenied: Access Denied');
  });

  it('past the listed failures, the summary and the audit line say how many more there were', () => {
    const failures = Array.from({ length: 200 }, (_, i) => ({ key: `${prefix}f-${i}.bin`, versionId: 'null', code: 'AccessDenied', message: 'Access Denied' }));
    const progress = { deleted: 700, bytes: 7_000, total: 1_000, batches: 1, done: true, failures, failedCount: 300 };
    const { blocks } = renderSlack(cleanupSummaryMessage('docs', 'U0ADMIN', progress, cutoff));
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('300 versions could not be deleted');
    expect(shown).toContain('f-199.bin');
    expect(shown).toContain('and 100 more');
    const audit = cleanupAuditText({ user: 'U0ADMIN', bucket: 'docs-bucket', at: cutoff, progress });
    expect(audit).toContain('300 failures (200 listed in the summary and 100 more)');
    // Within the cap, no "more" line.
    const few = cleanupAuditText({ user: 'U0ADMIN', bucket: 'docs-bucket', at: cutoff, progress: { ...progress, failures: failures.slice(0, 2), failedCount: 2 } });
    expect(few).toMatch(/; 2 failures\.$/);
    expect(JSON.stringify(renderSlack(cleanupSummaryMessage('docs', 'U0ADMIN', { ...progress, failures: failures.slice(0, 2), failedCount: 2 }, cutoff)).blocks)).not.toContain('more');
  });
});
