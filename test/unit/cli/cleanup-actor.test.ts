import { describe, expect, it } from 'vitest';
import { cleanupAuditText, cleanupSummaryMessage } from '../../../src/actions/cleanup-messages.js';
import { renderText } from '../../../src/render/text/index.js';

const progress = { deleted: 5, bytes: 50, total: 5, batches: 1, done: true, failedCount: 0, failures: [] };
const at = new Date('2025-03-01T12:00:00Z');

describe('a cleanup confirmed on the command line', () => {
  it('names the login and the command line, never a Slack mention of it', () => {
    const text = renderText(cleanupSummaryMessage('docs', 'cli:alice', progress, at));
    expect(text).toContain('confirmed by alice on the command line');
    expect(text).not.toContain('<@');
    expect(cleanupAuditText({ user: 'cli:alice', bucket: 'docs-bucket', at, progress })).toMatch(/^Cleanup: alice on the command line deleted 5 versions/);
  });

  it('says someone on the command line when the shell has no login, and keeps a Slack user a mention', () => {
    expect(renderText(cleanupSummaryMessage('docs', 'cli:', progress, at))).toContain('confirmed by someone on the command line');
    expect(cleanupAuditText({ user: 'U0ADMIN', bucket: 'docs-bucket', at, progress })).toMatch(/^Cleanup: <@U0ADMIN> deleted/);
  });

  it('does not let a login be read as markup', () => {
    expect(cleanupAuditText({ user: 'cli:*bob*', bucket: 'docs-bucket', at, progress })).toContain('\\*bob\\* on the command line');
  });
});
