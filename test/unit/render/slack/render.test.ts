import { describe, expect, it } from 'vitest';
import type { types as slack } from '@slack/bolt';
import type { Message } from '../../../../src/message/model.js';
import { renderSlack } from '../../../../src/render/slack/index.js';

const sectionText = (b: slack.KnownBlock | undefined): string => (b?.type === 'section' ? (b.text?.text ?? '') : '');

describe('renderSlack', () => {
  it('converts the neutral markup to mrkdwn and escapes literal &, <, >', () => {
    const out = renderSlack({ summary: 's', blocks: [{ kind: 'text', text: '**Size** <1 GB & _rising_ `a<b` [console](https://console.aws.amazon.com/s3?a=1&b=2)' }] });
    expect(sectionText(out.blocks[0])).toBe('*Size* &lt;1 GB &amp; _rising_ `a&lt;b` <https://console.aws.amazon.com/s3?a=1&amp;b=2|console>');
  });

  it('always has a fallback text: the summary, else the first heading', () => {
    expect(renderSlack({ summary: 'surgical-docs: **1.2 GB**', blocks: [] }).text).toBe('surgical-docs: *1.2 GB*');
    expect(renderSlack({ summary: '', blocks: [{ kind: 'header', text: 'S3 status' }] }).text).toBe('S3 status');
    expect(renderSlack({ summary: ' ', blocks: [] }).text).toBe('s3-chatops');
  });

  it('renders headers as plain text within 150 characters', () => {
    const out = renderSlack({ summary: 's', blocks: [{ kind: 'header', text: `**S3** ${'word '.repeat(60)}` }] });
    const header = out.blocks[0];
    expect(header?.type).toBe('header');
    if (header?.type !== 'header') return;
    expect(header.text.type).toBe('plain_text');
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.startsWith('S3 word')).toBe(true);
  });

  it('puts at most 10 fields in a section, label in bold', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: `v${i}` }));
    const out = renderSlack({ summary: 's', blocks: [{ kind: 'fields', fields }] });
    expect(out.blocks.map((b) => (b.type === 'section' ? b.fields?.length : 0))).toEqual([10, 10, 3]);
    const first = out.blocks[0];
    expect(first?.type === 'section' && first.fields?.[0]?.text).toBe('*F0*\nv0');
  });

  it('marks list items with the severity emoji and indents the detail', () => {
    const out = renderSlack({
      summary: 's',
      blocks: [{ kind: 'list', title: 'Findings', items: [{ severity: 'critical', text: 'Public', detail: 'Fix it' }, { severity: 'ok', text: 'Fine' }, { text: 'plain' }] }],
    });
    expect(sectionText(out.blocks[0])).toBe('*Findings*\n:red_circle: Public\n\u2003Fix it\n:white_check_mark: Fine\n• plain');
  });

  it('turns a table into aligned monospace code blocks, repeating the heads in each section', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`key-${i}.pdf`, `${i} KB`]);
    const out = renderSlack({ summary: 's', blocks: [{ kind: 'table', columns: ['Key', 'Size'], rows }] });
    expect(out.blocks.length).toBeGreaterThan(1);
    for (const b of out.blocks) {
      const text = sectionText(b);
      expect(text.length).toBeLessThanOrEqual(3000);
      expect(text.startsWith('```\nKey')).toBe(true);
      expect(text.endsWith('\n```')).toBe(true);
    }
    const all = out.blocks.map(sectionText).join('\n');
    for (const [key] of rows) expect(all).toContain(key);
    expect(sectionText(out.blocks[0])).toContain('key-1.pdf      1 KB');
  });

  it('keeps buttons within their limits', () => {
    const out = renderSlack({
      summary: 's',
      blocks: [
        {
          kind: 'actions',
          buttons: [
            { actionId: 'a'.repeat(300), label: 'L'.repeat(100), value: 'v'.repeat(2500), style: 'danger', confirm: { title: 'T'.repeat(120), text: 'x '.repeat(200), confirm: 'Yes, delete them all now', deny: 'No' } },
          ],
        },
      ],
    });
    const actions = out.blocks[0];
    expect(actions?.type).toBe('actions');
    if (actions?.type !== 'actions') return;
    const button = actions.elements[0] as slack.Button;
    expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(button.action_id?.length).toBe(255);
    expect(button.value?.length).toBe(2000);
    expect(button.style).toBe('danger');
    expect(button.confirm?.title?.text.length).toBeLessThanOrEqual(100);
    expect((button.confirm?.text as { text: string }).text.length).toBeLessThanOrEqual(300);
  });

  it('folds a message of more than 50 blocks into 50 with a line saying what was left out', () => {
    const message: Message = {
      summary: 'many',
      blocks: [
        ...Array.from({ length: 80 }, (_, i) => ({ kind: 'text' as const, text: `para ${i}` })),
        { kind: 'actions', buttons: [{ actionId: 'status_refresh', label: 'Refresh', value: 'b' }] },
      ],
    };
    const out = renderSlack(message);
    expect(out.blocks).toHaveLength(50);
    expect(out.blocks.at(-1)?.type).toBe('actions');
    expect(JSON.stringify(out.blocks.at(-2))).toContain('Left out');
  });

  it('skips blocks Slack would reject as empty', () => {
    const out = renderSlack({ summary: 's', blocks: [{ kind: 'text', text: '' }, { kind: 'header', text: ' ' }, { kind: 'fields', fields: [] }, { kind: 'list', items: [] }] });
    expect(out.blocks).toEqual([]);
  });
});
