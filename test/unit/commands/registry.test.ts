import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse.js';
import { createCommandRegistry, createRegistry } from '../../../src/commands/registry.js';
import { bucket, fakeSpecs } from './fixtures.js';

const registry = createCommandRegistry();
const config = { buckets: [bucket('amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp', 'surgical-docs'), bucket('other-bucket')] };

describe('the command registry', () => {
  it('holds the read commands, alerts, digest and help, help last', () => {
    expect(registry.specs.map((s) => s.verb)).toEqual(['status', 'uploads', 'errors', 'changes', 'costs', 'alerts', 'test', 'cleanup', 'digest', 'help']);
  });

  it('gives every command a summary, a usage that starts with its verb, and an example that parses', () => {
    for (const spec of registry.specs) {
      expect(spec.summary.length).toBeGreaterThan(3);
      expect(spec.usage.split(' ')[0]).toBe(spec.verb);
      expect(spec.example.split(' ')[0]).toBe(spec.verb);
      const parsed = parseCommand(spec.example, registry, config);
      expect(parsed.ok, `${spec.example}: ${parsed.ok ? '' : parsed.problem}`).toBe(true);
    }
  });

  it('writes the help from the specs: one entry and one usage line per command', () => {
    expect(registry.helpEntries()).toEqual(registry.specs.map(({ verb, usage, summary, example }) => ({ verb, usage, summary, example })));
    expect(registry.usageLines()).toEqual(registry.specs.map((s) => s.usage));
  });

  it('gives one command\'s usage, then its example', () => {
    const uploads = registry.get('uploads')!;
    expect(registry.usageOf(uploads)).toEqual([uploads.usage, uploads.example]);
    expect(registry.usageOf(registry.get('help')!)).toEqual(['help']);
  });

  it('refuses two commands with the same verb', () => {
    expect(() => createRegistry([...fakeSpecs, { ...fakeSpecs[0]!, verb: 'LOOK' }])).toThrow('two commands answer to "look"');
  });
});

describe('the real commands\' flags', () => {
  const parse = (text: string) => parseCommand(text, registry, config);
  const problem = (text: string) => {
    const result = parse(text);
    return result.ok ? undefined : result.problem;
  };

  it('status takes a bucket by alias or name, or none for the fleet', () => {
    const byAlias = parse('status surgical-docs');
    expect(byAlias.ok && byAlias.args.bucket?.alias).toBe('surgical-docs');
    const fleet = parse('status');
    expect(fleet.ok && fleet.args.bucket).toBeUndefined();
    expect(problem('status --since 1h')).toBe('`status` has no flag `--since`.');
  });

  it('uploads reads --prefix, --limit 1–100 and --since as a duration', () => {
    const ok = parse('uploads other-bucket --prefix "reports/provider payment/" --limit 100 --since 90m');
    expect(ok.ok && ok.args.flags).toEqual({ prefix: 'reports/provider payment/', limit: '100', since: '90m' });
    for (const since of ['24h', '7d', '90d']) expect(parse(`uploads other-bucket --since ${since}`).ok).toBe(true);
    expect(problem('uploads other-bucket --limit 101')).toBe('`--limit` is a whole number from 1 to 100, not `101`.');
    expect(problem('uploads other-bucket --limit 1.5')).toBe('`--limit` is a whole number from 1 to 100, not `1.5`.');
    expect(problem('uploads other-bucket --since 0h')).toMatch(/^`--since` is a duration/);
    expect(problem('uploads other-bucket --since 91d')).toMatch(/^`--since` is a duration/);
    expect(problem('uploads other-bucket --prefix=')).toBe('`--prefix` needs a value.');
    expect(problem('uploads')).toMatch(/^Name a bucket for `uploads`/);
  });

  it('errors takes --since 1h, 24h or 7d only', () => {
    for (const since of ['1h', '24h', '7d']) expect(parse(`errors surgical-docs --since ${since}`).ok).toBe(true);
    expect(problem('errors surgical-docs --since 2h')).toBe('`--since` is one of `1h`, `24h`, `7d`, not `2h`.');
  });

  it('costs takes --days 1–90 and no bucket', () => {
    const ok = parse('costs --days 90');
    expect(ok.ok && ok.args.flags.days).toBe('90');
    expect(problem('costs --days 0')).toBe('`--days` is a whole number from 1 to 90, not `0`.');
    expect(problem('costs --days 91')).toBe('`--days` is a whole number from 1 to 90, not `91`.');
    expect(problem('costs surgical-docs')).toBe('`costs` takes no bucket; drop `surgical-docs`.');
  });
});

describe('the real registry under any input', () => {
  it('never throws, and answers a first word that is not a verb with every usage line (property)', () => {
    const verbs = new Set(registry.specs.map((s) => s.verb));
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseCommand(text, registry, config);
        const first = text.trim().split(/\s+/u)[0] ?? '';
        if (first !== '' && !/["'\u201C\u2018\u2014\u2013&]/u.test(first) && !verbs.has(first.toLowerCase())) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.usage).toEqual(registry.usageLines());
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
