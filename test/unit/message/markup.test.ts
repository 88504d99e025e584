import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, lit, parseInline, stripMarkup } from '../../../src/message/markup.js';
import { escapeTerminal } from '../../../src/render/text/index.js';
import { toMrkdwn } from '../../../src/render/slack/mrkdwn.js';
import { toTeamsMarkdown } from '../../../src/render/teams/markdown.js';
import { renderText } from '../../../src/render/text/render.js';

describe('parseInline', () => {
  it('reads bold, italic, code and links', () => {
    expect(parseInline('a **b** _c_ `d` [e](https://x.test/f)')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'italic', text: 'c' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'd' },
      { kind: 'text', text: ' ' },
      { kind: 'link', text: 'e', url: 'https://x.test/f' },
    ]);
  });
  it('leaves snake_case and markup inside code spans literal', () => {
    expect(parseInline('my_file_name.pdf')).toEqual([{ kind: 'text', text: 'my_file_name.pdf' }]);
    expect(parseInline('`**not bold**`')).toEqual([{ kind: 'code', text: '**not bold**' }]);
  });
  it('strips markup for surfaces without it, links as label (url)', () => {
    expect(stripMarkup('**Refresh** [docs](https://x.test)')).toBe('Refresh docs (https://x.test)');
  });
  it('wraps any text in a code span, escaping what would end it', () => {
    expect(code('a_b*c')).toBe('`a_b*c`');
    expect(code('a`b')).toBe('`a\\`b`');
    expect(parseInline(code('a`b\\c\nd'))).toEqual([{ kind: 'code', text: 'a`b\\c\nd' }]);
  });
  it('reads a Slack user as a mention: Slack gets it unescaped, other surfaces @id, and a look-alike stays literal text', () => {
    expect(parseInline('Acknowledged by <@U0ADMIN>')).toEqual([
      { kind: 'text', text: 'Acknowledged by ' },
      { kind: 'mention', user: 'U0ADMIN' },
    ]);
    expect(toMrkdwn('by <@U0ADMIN> & <b>')).toBe('by <@U0ADMIN> &amp; &lt;b&gt;');
    expect(toMrkdwn('<@here> <@u0lower>')).toBe('&lt;@here&gt; &lt;@u0lower&gt;');
    expect(toTeamsMarkdown('by <@U0ADMIN>')).toBe('by @U0ADMIN');
    expect(stripMarkup('by <@U0ADMIN>')).toBe('by @U0ADMIN');
    expect(renderText({ summary: 's', blocks: [{ kind: 'text', text: 'by <@U0ADMIN>' }] })).toBe('by @U0ADMIN\n');
  });
});

describe('lit and code', () => {
  const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[`*_\\[\]()<>@!\n a-z]*$/));

  it('embed any string as one literal span, whatever markup it holds, alone or between markup', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(parseInline(lit(s))).toEqual(s === '' ? [] : [{ kind: 'text', text: s }]);
        expect(parseInline(code(s))).toEqual(s === '' ? [] : [{ kind: 'code', text: s }]);
        expect(parseInline(`**${lit(s)}**`)).toEqual(s === '' ? [{ kind: 'text', text: '****' }] : [{ kind: 'bold', text: s }]);
        expect(stripMarkup(`[${lit(s)}](https://x.test) ${code(s)}`)).toBe(`${s === '' ? `[](https://x.test)` : `${s} (https://x.test)`} ${s}`);
      }),
      { numRuns: 500 },
    );
  });

  it('keep a line break of the value apart from a line break of the message', () => {
    expect(parseInline(`a\n${lit('b\nc')}`)).toEqual([{ kind: 'text', text: 'a' }, { kind: 'break' }, { kind: 'text', text: 'b\nc' }]);
  });
});

describe('escapeTerminal', () => {
  it('shows ESC, BEL, C1, DEL and bidi characters as escapes and leaves printable text alone', () => {
    expect(escapeTerminal('a\u001b]0;t\u0007\u009b2J\u007f\u202eb\u2066c\r\n\t')).toBe('a\\x1b]0;t\\x07\\x9b2J\\x7f\\u202eb\\u2066c\\r\\n\\t');
    expect(escapeTerminal('käse/日本/😀 ok')).toBe('käse/日本/😀 ok');
  });
});
