import { describe, expect, it } from 'vitest';
import { fitBlockCount, splitMrkdwn, truncateMrkdwn, truncatePlain } from '../../../../src/render/slack/limits.js';

describe('splitMrkdwn', () => {
  it('keeps text that fits as one piece', () => {
    expect(splitMrkdwn('short', 3000)).toEqual(['short']);
  });
  it('splits between lines first', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const pieces = splitMrkdwn(lines.join('\n'), 500);
    expect(pieces.every((p) => p.length <= 500)).toBe(true);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });
  it('never cuts a word or a link in half', () => {
    const words = Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? `<https://console.aws.amazon.com/s3/buckets/b${i}|bucket ${i}>` : `word${i}`));
    const text = words.join(' ');
    const pieces = splitMrkdwn(text, 300);
    expect(pieces.every((p) => p.length <= 300)).toBe(true);
    const units = pieces.flatMap((p) => p.match(/<[^>]*>|[^\s<]+/g) ?? []);
    for (const unit of units) expect(words.join(' ')).toContain(unit);
    expect(units.filter((u) => u.startsWith('<')).every((u) => u.endsWith('>'))).toBe(true);
    expect(pieces.join(' ')).toBe(text);
  });
  it('cuts only a word longer than a whole piece', () => {
    const pieces = splitMrkdwn('x'.repeat(7000), 3000);
    expect(pieces.map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });
});

describe('truncation', () => {
  it('shortens plain text at a word with an ellipsis', () => {
    expect(truncatePlain('Clean up test files now please', 20)).toBe('Clean up test files…');
    expect(truncatePlain('short', 75)).toBe('short');
  });
  it('shortens mrkdwn without breaking a link', () => {
    const text = `see <https://example.test/${'a'.repeat(50)}|the docs> now`;
    const cut = truncateMrkdwn(text, 30);
    expect(cut).toBe('see…');
  });
});

describe('fitBlockCount', () => {
  it('folds blocks past 50 into one context line that says what was left out, keeping buttons', () => {
    const blocks = [
      ...Array.from({ length: 60 }, () => ({ block: { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'rows' } }, rows: 10 })),
      { block: { type: 'actions' as const, elements: [] } },
    ];
    const out = fitBlockCount(blocks);
    expect(out).toHaveLength(50);
    expect(out.at(-1)?.type).toBe('actions');
    const fold = out.at(-2);
    expect(fold?.type).toBe('context');
    expect(JSON.stringify(fold)).toContain('120 table rows');
    expect(JSON.stringify(fold)).toContain('12 blocks');
  });
  it('leaves 50 or fewer blocks alone', () => {
    const blocks = Array.from({ length: 50 }, () => ({ block: { type: 'divider' as const } }));
    expect(fitBlockCount(blocks)).toHaveLength(50);
  });
});
