import { parseArgs, type ParseArgsConfig } from 'node:util';
import { code as codeSpan } from '../message/markup.js';
import type { Config } from '../config/load.js';
import { findBucket } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { CommandRegistry } from './registry.js';
import { decodeSlackEntities, tokenize } from './tokenize.js';
import type { CommandArgs, CommandSpec } from './types.js';

export type ParseResult =
  | { ok: true; spec: CommandSpec; args: CommandArgs }
  | { ok: false; problem: string; usage: string[] };

export interface ParseOptions {
  /** Flags the caller's surface adds to every command, e.g. `--json` on the command line. */
  extraOptions?: NonNullable<ParseArgsConfig['options']>;
}

/** How much of a person's word a problem sentence repeats back. */
const ECHO_LIMIT = 40;

/**
 * Parses `/s3` text (or command-line argv) into a command and its checked arguments. Never
 * throws: every kind of bad input becomes a short problem sentence and the usage lines.
 */
export function parseCommand(
  input: string | readonly string[],
  registry: CommandRegistry,
  config: Pick<Config, 'buckets'>,
  options: ParseOptions = {},
): ParseResult {
  try {
    return parseWords(typeof input === 'string' ? tokenize(decodeSlackEntities(input)) : [...input], registry, config, options);
  } catch (error) {
    // A parser that never throws is part of the contract; anything unforeseen is still bad input.
    return { ok: false, problem: `That command could not be read (${(error as Error).message}).`, usage: registry.usageLines() };
  }
}

function parseWords(words: string[], registry: CommandRegistry, config: Pick<Config, 'buckets'>, options: ParseOptions): ParseResult {
  const [verb, ...rest] = words;
  const help = registry.get('help');
  if (verb === undefined) {
    if (help) return { ok: true, spec: help, args: { flags: {} } };
    return { ok: false, problem: 'Name a command.', usage: registry.usageLines() };
  }
  const spec = registry.get(verb);
  if (!spec) return { ok: false, problem: `Unknown command ${codeSpan(echo(verb))}.`, usage: registry.usageLines() };
  const bad = (problem: string): ParseResult => ({ ok: false, problem, usage: registry.usageOf(spec) });

  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...spec.options, ...options.extraOptions },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return bad(describeParseArgsError(error, spec.verb));
  }

  const flags: CommandArgs['flags'] = {};
  for (const [name, value] of Object.entries(values)) {
    // Options are declared without `multiple`, so arrays cannot occur; keep the last value if one does.
    flags[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }

  const bucket = resolveBucket(spec, positionals, config);
  if (typeof bucket === 'string') return bad(bucket);

  const invalid = spec.validate?.(flags);
  if (invalid) return bad(invalid);

  return { ok: true, spec, args: bucket.bucket ? { bucket: bucket.bucket, flags } : { flags } };
}

/** The bucket a command is about, from the words naming it, or a problem sentence: how `/s3` and its buttons read a bucket. */
export function resolveBucket(
  spec: CommandSpec,
  positionals: string[],
  config: Pick<Config, 'buckets'>,
): { bucket?: BucketConfig } | string {
  const configured = config.buckets;
  if (spec.bucket === 'none') {
    if (positionals.length > 0) return `\`${spec.verb}\` takes no bucket; drop ${codeSpan(echo(positionals[0]!))}.`;
    return {};
  }
  if (positionals.length > 1) {
    return `\`${spec.verb}\` takes one bucket; got ${positionals.length} words: ${positionals.slice(0, 3).map((p) => `${codeSpan(echo(p))}`).join(', ')}${positionals.length > 3 ? ', …' : ''}.`;
  }
  const named = positionals[0];
  if (named !== undefined) {
    const bucket = findBucket(config, named);
    if (!bucket) return `Unknown bucket ${codeSpan(echo(named))}; the configured ones are ${bucketNames(configured)}.`;
    return { bucket };
  }
  if (configured.length === 1) return { bucket: configured[0]! };
  if (spec.bucket === 'optional') return {}; // several configured, none named: the fleet overview
  return `Name a bucket for \`${spec.verb}\`: one of ${bucketNames(configured)}.`;
}

function bucketNames(buckets: readonly BucketConfig[]): string {
  if (buckets.length === 0) return 'none (add them under `buckets:` in the configuration)';
  return buckets.map((b) => (b.alias ? `\`${b.alias}\` (${b.name})` : `\`${b.name}\``)).join(', ');
}

/** node:util's parse errors, said for a person. */
function describeParseArgsError(error: unknown, verb: string): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  const option = /'(-{1,2}[^' ]*)/.exec(message)?.[1];
  const flag = option ? `${codeSpan(echo(option))}` : 'a flag';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `\`${verb}\` has no flag ${flag}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? `${flag} takes no value.`
        : `${flag} needs a value.`;
    default:
      return `The flags of \`${verb}\` could not be read.`;
  }
}

/** A word repeated back safely: no control characters or backticks, and not too long. */
function echo(word: string): string {
  const clean = word.replace(/[\p{Cc}\p{Cf}`]/gu, '');
  const chars = [...clean];
  const shown = chars.length > ECHO_LIMIT ? `${chars.slice(0, ECHO_LIMIT).join('')}…` : clean;
  return shown === '' ? '?' : shown;
}
