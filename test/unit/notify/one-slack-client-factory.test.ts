import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

describe('the source', () => {
  it('builds every Slack WebClient through the one factory, so each has a deadline and a documented retry policy', () => {
    const builders = files.filter((f) => /new\s+(?:[\w$]+\.)?WebClient\s*\(/.test(f.text)).map((f) => f.path);
    expect(builders).toEqual(['notify/slack-client.ts']);
  });

  it('has no import from jobs/ in notify/: delivery is a lower layer than the jobs that run it', () => {
    const upward = files.filter((f) => f.path.startsWith('notify/') && /from\s+'\.\.\/jobs\//.test(f.text)).map((f) => f.path);
    expect(upward).toEqual([]);
  });
});
