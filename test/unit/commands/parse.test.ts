import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse.js';
import { fakeRegistry, fakeSpecs, oneBucket, twoBuckets } from './fixtures.js';

function problemOf(result: ReturnType<typeof parseCommand>): string {
  if (result.ok) throw new Error(`expected a problem, got ${result.spec.verb}`);
  return result.problem;
}

describe('parseCommand: verbs', () => {
  it('reads empty text as help', () => {
    for (const text of ['', '   ', '\n\t']) {
      const result = parseCommand(text, fakeRegistry, twoBuckets);
      expect(result.ok && result.spec.verb).toBe('help');
    }
  });

  it('resolves a verb case-insensitively', () => {
    const result = parseCommand('LOOK docs', fakeRegistry, twoBuckets);
    expect(result.ok && result.spec.verb).toBe('look');
  });

  it('answers an unknown verb with its name and every usage line', () => {
    const result = parseCommand('frobnicate docs', fakeRegistry, twoBuckets);
    expect(problemOf(result)).toBe('Unknown command `frobnicate`.');
    expect(!result.ok && result.usage).toEqual(fakeRegistry.usageLines());
  });

  it('accepts argv as well as text', () => {
    const result = parseCommand(['list', 'docs', '--limit', '5'], fakeRegistry, twoBuckets);
    expect(result.ok && result.args.flags.limit).toBe('5');
  });
});

describe('parseCommand: buckets', () => {
  it('finds a bucket by name and by alias', () => {
    for (const word of ['docs', 'docs-bucket-1']) {
      const result = parseCommand(`look ${word}`, fakeRegistry, twoBuckets);
      expect(result.ok && result.args.bucket?.name).toBe('docs-bucket-1');
    }
  });

  it('takes the only configured bucket when none is named', () => {
    const look = parseCommand('look', fakeRegistry, oneBucket);
    const list = parseCommand('list', fakeRegistry, oneBucket);
    expect(look.ok && look.args.bucket?.name).toBe('docs-bucket-1');
    expect(list.ok && list.args.bucket?.name).toBe('docs-bucket-1');
  });

  it('means the fleet when an optional bucket is left out and several are configured', () => {
    const result = parseCommand('look', fakeRegistry, twoBuckets);
    expect(result.ok).toBe(true);
    expect(result.ok && result.args.bucket).toBeUndefined();
  });

  it('asks for a bucket when a required one is left out and several are configured', () => {
    const result = parseCommand('list', fakeRegistry, twoBuckets);
    expect(problemOf(result)).toBe('Name a bucket for `list`: one of `docs` (docs-bucket-1), `logs-bucket-2`.');
    expect(!result.ok && result.usage).toEqual(fakeRegistry.usageOf(fakeRegistry.get('list')!));
  });

  it('refuses a bucket that is not configured and names the configured ones', () => {
    const problem = problemOf(parseCommand('look secret-bucket', fakeRegistry, twoBuckets));
    expect(problem).toBe('Unknown bucket `secret-bucket`; the configured ones are `docs` (docs-bucket-1), `logs-bucket-2`.');
  });

  it('refuses a bucket for a command that takes none', () => {
    expect(problemOf(parseCommand('spend docs', fakeRegistry, twoBuckets))).toBe('`spend` takes no bucket; drop `docs`.');
  });

  it('refuses more than one bucket', () => {
    expect(problemOf(parseCommand('look docs logs-bucket-2', fakeRegistry, twoBuckets))).toBe(
      '`look` takes one bucket; got 2 words: `docs`, `logs-bucket-2`.',
    );
  });
});

describe('parseCommand: flags', () => {
  it('reads string and boolean flags, in both --flag value and --flag=value forms', () => {
    const result = parseCommand('list docs --limit=7 --since 24h --deep', fakeRegistry, twoBuckets);
    expect(result.ok && result.args.flags).toEqual({ limit: '7', since: '24h', deep: true });
  });

  it('keeps quoted values whole, with straight and curly quotes', () => {
    const flags = (text: string) => {
      const result = parseCommand(text, { ...fakeRegistry, get: (verb) => (verb === 'list' ? { ...fakeRegistry.get('list')!, validate: undefined } : fakeRegistry.get(verb)) }, twoBuckets);
      return result.ok ? result.args.flags : result.problem;
    };
    expect(flags('list docs --since "24 h"')).toEqual({ since: '24 h' });
    expect(flags('list docs --since \u201C24 h\u201D')).toEqual({ since: '24 h' });
    expect(flags("list docs --since '7d'")).toEqual({ since: '7d' });
    expect(flags('list docs --since "open to the end')).toEqual({ since: 'open to the end' });
  });

  it('reads the em dash Slack types for -- as a flag', () => {
    const result = parseCommand('list docs \u2014limit 3', fakeRegistry, twoBuckets);
    expect(result.ok && result.args.flags.limit).toBe('3');
  });

  it('names an unknown flag', () => {
    expect(problemOf(parseCommand('list docs --bogus', fakeRegistry, twoBuckets))).toBe('`list` has no flag `--bogus`.');
    expect(problemOf(parseCommand('list docs -x', fakeRegistry, twoBuckets))).toBe('`list` has no flag `-x`.');
  });

  it('says when a flag lacks its value or has one it should not', () => {
    expect(problemOf(parseCommand('list docs --limit', fakeRegistry, twoBuckets))).toBe('`--limit` needs a value.');
    expect(problemOf(parseCommand('list docs --limit --deep', fakeRegistry, twoBuckets))).toBe('`--limit` needs a value.');
    expect(problemOf(parseCommand('list docs --deep=yes', fakeRegistry, twoBuckets))).toBe('`--deep` takes no value.');
  });

  it('runs the command\'s own validation on flag values', () => {
    expect(problemOf(parseCommand('list docs --limit 0', fakeRegistry, twoBuckets))).toBe(
      '`--limit` is a whole number from 1 to 100, not `0`.',
    );
    expect(problemOf(parseCommand('list docs --since soon', fakeRegistry, twoBuckets))).toBe(
      '`--since` is a duration such as `90m`, `24h` or `7d` (at most 90 days), not `soon`.',
    );
  });

  it('accepts the extra flags a surface adds, and only there', () => {
    const cli = parseCommand(['look', 'docs', '--json'], fakeRegistry, twoBuckets, { extraOptions: { json: { type: 'boolean' } } });
    expect(cli.ok && cli.args.flags.json).toBe(true);
    expect(problemOf(parseCommand('look docs --json', fakeRegistry, twoBuckets))).toBe('`look` has no flag `--json`.');
  });

  it('decodes the HTML entities Slack escapes', () => {
    const result = parseCommand('look &lt;docs&gt;', fakeRegistry, twoBuckets);
    expect(problemOf(result)).toContain('`<docs>`');
  });
});

describe('parseCommand: hostile input', () => {
  it('answers 10,000 characters of noise, control characters and emoji without throwing', () => {
    const inputs = [
      'x'.repeat(10_000),
      `look ${'a '.repeat(5_000)}`,
      'list docs --limit \u0000\u0007\u001b[31m',
      '\u{1F4A5}\u{1F525} status',
      `look "${'"'.repeat(999)}`,
      'look \u202Edocs',
      '--__proto__ look',
      'list docs --__proto__ 1 --constructor x',
    ];
    for (const text of inputs) {
      const result = parseCommand(text, fakeRegistry, twoBuckets);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem.length).toBeLessThan(300);
    }
  });

  it('never throws, for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseCommand(text, fakeRegistry, twoBuckets);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws, for words shaped like commands (property)', () => {
    const word = fc.oneof(
      fc.constantFrom('look', 'list', 'spend', 'help', 'docs', 'logs-bucket-2', '--limit', '--since', '--deep', '--', '-', '"', "'", '=', '24h', '0'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        const asText = parseCommand(words.join(' '), fakeRegistry, twoBuckets);
        const asArgv = parseCommand(words, fakeRegistry, twoBuckets);
        expect(typeof asText.ok).toBe('boolean');
        expect(typeof asArgv.ok).toBe('boolean');
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers any text whose first word is not a verb with the full usage (property)', () => {
    const verbs = new Set(fakeSpecs.map((s) => s.verb));
    const firstWord = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((w) => {
      const trimmed = w.trim();
      return trimmed !== '' && !/[\s"'\u201C\u2018]/u.test(w) && !verbs.has(trimmed.toLowerCase());
    });
    fc.assert(
      fc.property(firstWord, fc.string({ maxLength: 200 }), (first, rest) => {
        const result = parseCommand(`${first} ${rest}`, fakeRegistry, twoBuckets);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.usage).toEqual(fakeRegistry.usageLines());
          expect(result.problem).toMatch(/^Unknown command `.*`\.$/su);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
