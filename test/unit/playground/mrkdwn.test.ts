// The playground page's reading of Slack mrkdwn: what our Slack renderer writes is shown as Slack
// shows it, and data written as data (lit, code) never comes out as a link, mention or formatting.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMrkdwn, safeHref, unescapeMrkdwn, type MrkdwnNode } from '../../../src/playground/page/mrkdwn.js';
import { code, lit } from '../../../src/render/markup.js';
import { toMrkdwn } from '../../../src/render/slack/mrkdwn.js';

const hostile = JSON.parse(readFileSync(new URL('../../fixtures/hostile/values.json', import.meta.url), 'utf8')) as { name: string; value: string; visible: string }[];

/** Every node type in a tree, depth first. */
function types(nodes: MrkdwnNode[]): string[] {
  return nodes.flatMap((n) => ('children' in n ? [n.type, ...types(n.children)] : [n.type]));
}

function shownText(nodes: MrkdwnNode[]): string {
  return nodes.map((n) => ('children' in n ? shownText(n.children) : 'text' in n ? n.text : '\n')).join('');
}

describe('parseMrkdwn', () => {
  it('reads the formatting our renderer writes: bold, italic, strike, code, blocks, links, mentions, breaks', () => {
    expect(parseMrkdwn('*Objects*\n20 _new_ ~old~ `a &lt;b&gt;` <https://x.example/a?b=1&amp;c=2|the docs> <@U0ADMIN> <#C0OPS|ops> <!here>')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Objects' }] },
      { type: 'break' },
      { type: 'text', text: '20 ' },
      { type: 'italic', children: [{ type: 'text', text: 'new' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'old' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'a <b>' },
      { type: 'text', text: ' ' },
      { type: 'link', url: 'https://x.example/a?b=1&c=2', text: 'the docs' },
      { type: 'text', text: ' ' },
      { type: 'mention', text: '@U0ADMIN' },
      { type: 'text', text: ' ' },
      { type: 'mention', text: '#ops' },
      { type: 'text', text: ' ' },
      { type: 'mention', text: '@here' },
    ]);
  });

  it('keeps a fenced block whole, with its lines, as preformatted text', () => {
    expect(parseMrkdwn('Table:\n```\nClass  Size\nSTD    1 GB\n```\nafter')).toEqual([
      { type: 'text', text: 'Table:' },
      { type: 'break' },
      { type: 'pre', text: 'Class  Size\nSTD    1 GB' },
      { type: 'break' },
      { type: 'text', text: 'after' },
    ]);
  });

  it('leaves markers inside words and unclosed markers as text, as Slack does', () => {
    expect(parseMrkdwn('my_bucket_name a*b*c *open')).toEqual([{ type: 'text', text: 'my_bucket_name a*b*c *open' }]);
  });

  it('shows the emoji the bot writes and leaves other shortcodes as typed', () => {
    expect(shownText(parseMrkdwn(':white_check_mark: ok :warning: :not_an_emoji:'))).toBe('\u2705 ok \u26a0\ufe0f :not_an_emoji:');
  });

  it('undoes only Slack\'s three escapes', () => {
    expect(unescapeMrkdwn('&lt;img&gt; &amp;amp; &quot;')).toBe('<img> &amp; &quot;');
  });

  it('turns data written with lit() into text only, for every hostile value, still readable', () => {
    for (const { name, value, visible } of hostile) {
      const nodes = parseMrkdwn(toMrkdwn(`Key: ${lit(value)}`));
      expect(types(nodes).filter((t) => t !== 'text' && t !== 'break'), name).toEqual([]);
      expect(shownText(nodes), name).toContain(visible);
    }
  });

  it('turns data written with code() into one code span, for every hostile value', () => {
    for (const { name, value } of hostile) {
      const nodes = parseMrkdwn(toMrkdwn(code(value)));
      expect(types(nodes), name).toEqual(['code']);
    }
  });

  it('never makes a link, mention or formatting of arbitrary data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.string(), (ascii, any) => {
        for (const value of [ascii, any]) {
          const kinds = types(parseMrkdwn(toMrkdwn(`${lit(value)} and ${code(value)}`)));
          expect(kinds.filter((t) => !['text', 'break', 'code'].includes(t))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('safeHref', () => {
  it('lets http, https and mailto links through and no other scheme', () => {
    expect(safeHref('https://console.aws.amazon.com/s3/')).toBe('https://console.aws.amazon.com/s3/');
    expect(safeHref('mailto:ops@example.org')).toBe('mailto:ops@example.org');
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'not a url', '//evil.example/x']) expect(safeHref(url), url).toBeNull();
  });
});
