import { describe, expect, it } from 'vitest';
import { code, parseInline, stripMarkup } from '../../../src/render/markup.js';

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
  it('wraps literal text in code spans unless it cannot be', () => {
    expect(code('a_b*c')).toBe('`a_b*c`');
    expect(code('a`b')).toBe('a`b');
  });
});
