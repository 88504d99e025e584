import { describe, expect, it } from 'vitest';
import { code } from '../../../../src/message/markup.js';
import type { Message } from '../../../../src/message/model.js';
import { renderTeams, TEAMS_LIMITS, toTeamsMarkdown } from '../../../../src/render/teams/index.js';
import { parseEvents } from './adaptive-sdk.js';

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('renderTeams', () => {
  it('keeps a message of any size under 28 KB and names what it left out', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => [`reports/provider-payment-${i}.pdf`, `${i} KB`, '2026-11-26 14:05 UTC']);
    const items = Array.from({ length: 500 }, (_, i) => ({ severity: 'warning' as const, text: `**bucket-${i}** · 12.0 GB`, detail: 'Uploads in 24 h: 12\nRequests: 1,000' }));
    const message: Message = { summary: 'big', blocks: [{ kind: 'header', text: 'Big' }, { kind: 'table', columns: ['Key', 'Size', 'Modified'], rows }, { kind: 'list', items }] };
    const body = renderTeams(message);
    expect(size(body)).toBeLessThan(TEAMS_LIMITS.messageBytes);
    expect(parseEvents(body.attachments[0].content)).toEqual([]);
    const last = body.attachments[0].content.body.at(-1);
    expect(last?.type === 'TextBlock' ? last.text : '').toMatch(/Left out to fit Teams' 28 KB message limit: \d+ table rows, 500 list items/);
  });

  it('keeps a small message whole', () => {
    const body = renderTeams({ summary: 's', blocks: [{ kind: 'text', text: 'one' }, { kind: 'divider' }, { kind: 'fields', fields: [{ label: 'A', value: 'b' }] }] });
    expect(body.attachments[0].content.body).toEqual([
      { type: 'TextBlock', text: 'one', wrap: true },
      { type: 'FactSet', facts: [{ title: 'A', value: 'b' }], separator: true },
    ]);
  });

  it('turns URL buttons into Action.OpenUrl and leaves out buttons that only Slack can route', () => {
    const body = renderTeams({
      summary: 's',
      blocks: [{ kind: 'actions', buttons: [{ actionId: 'refresh', label: 'Refresh' }, { actionId: 'open', label: 'Open in S3', url: 'https://s3.console.aws.amazon.com/s3/buckets/b' }] }],
    });
    expect(body.attachments[0].content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in S3', url: 'https://s3.console.aws.amazon.com/s3/buckets/b' }]);
  });
});

describe('toTeamsMarkdown', () => {
  it('keeps bold, italic and links as they are', () => {
    expect(toTeamsMarkdown('**a** _b_ [c](https://x.test/a_b) `_s3-chatops/test/` 2*3')).toBe('**a** _b_ [c](https://x.test/a_b) _s3-chatops/test/ 2*3');
  });

  it('adds no backslash where Teams would read nothing as markup', () => {
    for (const text of [
      'scheduled in America/New_York',
      'reports/provider-payment_2026-11.pdf and snake_case_name',
      '_s3-chatops/test/ under the test prefix',
      'cost-budget:* since 14:05',
      'a * b, 2*3, and a lone *',
      '[draft] not a link',
      'C:\\Users\\intake',
      'the `GET` of `x_y`',
    ]) {
      // Code spans become their literal text; nothing else changes.
      expect(toTeamsMarkdown(text)).toBe(text.replace(/`/g, ''));
    }
  });

  it('escapes what Teams would read as emphasis, a link or a list, and only that', () => {
    expect(toTeamsMarkdown('`_tmp_` and `__init__.py`')).toBe('\\_tmp\\_ and \\_\\_init\\_\\_.py');
    expect(toTeamsMarkdown('`a*b*c` but `*.pdf and *.csv`')).toBe('a\\*b\\*c but *.pdf and *.csv');
    expect(toTeamsMarkdown('`[x](y)` in a key')).toBe('\\[x](y) in a key');
    expect(toTeamsMarkdown('`- not a list`')).toBe('\\- not a list');
    expect(toTeamsMarkdown('`1. not a list`')).toBe('1\\. not a list');
    // Two literal asterisks around our bold would otherwise pair up, across it.
    expect(toTeamsMarkdown('`2*3` is **six** or `4*5`')).toBe('2\\*3 is **six** or 4\\*5');
    expect(toTeamsMarkdown('`a*`**b**')).toBe('a***b**');
    expect(toTeamsMarkdown('[a]b](https://x.test)')).toBe('[a]b](https://x.test)');
    // A backslash in markup escapes the `*`; a literal backslash in a key is written with `code`.
    expect(toTeamsMarkdown('`\\*`')).toBe('\\*');
    expect(toTeamsMarkdown(code('\\*'))).toBe('\\\\*');
  });

  it('keeps the markup it writes working around literal text', () => {
    expect(toTeamsMarkdown('**New_York** and _x*y_')).toBe('**New_York** and _x*y_');
    expect(toTeamsMarkdown('**_tmp_ x**')).toBe('**\\_tmp\\_ x**');
  });
});
