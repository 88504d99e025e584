import { describe, expect, it } from 'vitest';
import { renderText } from '../../../../src/render/text/index.js';

describe('renderText', () => {
  it('renders headings, aligned fields, marked lists, aligned tables and links as label (url), without buttons', () => {
    const out = renderText({
      summary: 's',
      blocks: [
        { kind: 'header', text: 'S3 status' },
        { kind: 'fields', fields: [{ label: 'Objects', value: '**12,345**' }, { label: 'Default encryption', value: 'SSE-S3' }] },
        { kind: 'list', title: 'Findings', items: [{ severity: 'warning', text: 'Versioning is off', detail: 'Fix: `aws s3api put-bucket-versioning`' }, { text: 'plain' }] },
        { kind: 'table', columns: ['Key', 'Size'], rows: [['a.pdf', '1.2 MB'], ['longer-name.pdf', '12.0 KB']] },
        { kind: 'text', text: 'See [the console](https://console.aws.amazon.com/s3)' },
        { kind: 'actions', buttons: [{ actionId: 'status_refresh', label: 'Refresh' }] },
      ],
    });
    expect(out).toBe(
      [
        'S3 status',
        '=========',
        '',
        'Objects:            12,345',
        'Default encryption: SSE-S3',
        '',
        'Findings',
        '  ! Versioning is off',
        '      Fix: aws s3api put-bucket-versioning',
        '  - plain',
        '',
        'Key                 Size',
        '---------------  -------',
        'a.pdf             1.2 MB',
        'longer-name.pdf  12.0 KB',
        '',
        'See the console (https://console.aws.amazon.com/s3)',
        '',
      ].join('\n'),
    );
    expect(out).not.toContain('Refresh');
    expect(out).not.toContain('\x1b[');
  });

  it('adds ANSI styles only when colour is asked for', () => {
    const message = { summary: 's', blocks: [{ kind: 'list' as const, items: [{ severity: 'critical' as const, text: 'Public' }] }] };
    expect(renderText(message, { color: true })).toContain('\x1b[31m✗\x1b[39m');
    expect(renderText(message)).toBe('  ✗ Public\n');
  });

  it('falls back to the summary for a message without blocks, and says (none) for an empty table', () => {
    expect(renderText({ summary: 'Nothing to show', blocks: [] })).toBe('Nothing to show\n');
    expect(renderText({ summary: 's', blocks: [{ kind: 'table', columns: ['Key'], rows: [] }] })).toBe('Key\n---\n(none)\n');
  });
});
