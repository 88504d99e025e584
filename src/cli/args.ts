/** The command line's own flag parsing: node:util's parser, with its errors said in the product's words. */
import { parseArgs } from 'node:util';

type BooleanOrString = { type: 'boolean' } | { type: 'string' };

export interface CliArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `args` for `command` (e.g. `alerts evaluate`); returns the values, or the problem in a sentence. */
export function parseCliArgs(
  command: string,
  args: readonly string[],
  options: Record<string, BooleanOrString>,
  allowPositionals = false,
): CliArgs | { problem: string } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals });
    return { values: values as CliArgs['values'], positionals };
  } catch (error) {
    return { problem: describeParseError(error, command, options) };
  }
}

/** A node:util parse error as one sentence naming the flag and what the command takes instead. */
export function describeParseError(error: unknown, command: string, options: Record<string, BooleanOrString>): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  // Node quotes the offending word first: "Unknown option '--dry'", "Option '--role <value>' argument missing".
  const word = /'([^']*)'/.exec(message)?.[1]?.split(' ')[0] ?? '';
  const shown = `\`${echo(word)}\``;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${shown}; ${takes(command, options)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument') ? `${shown} takes no value` : `${shown} needs a value, as in \`${echo(word)} VALUE\``;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `\`${command}\` takes no word like ${shown}; ${takes(command, options)}`;
    default:
      return `the flags of \`${command}\` could not be read; ${takes(command, options)}`;
  }
}

function takes(command: string, options: Record<string, BooleanOrString>): string {
  const flags = Object.entries(options).map(([name, o]) => (o.type === 'string' ? `--${name} VALUE` : `--${name}`));
  return flags.length === 0 ? `\`${command}\` takes no flags` : `\`${command}\` takes ${flags.join(', ')}`;
}

/** What was typed, repeated back without control characters or backticks, and not too long. */
function echo(word: string): string {
  const clean = word.replace(/[\p{Cc}\p{Cf}`]/gu, '');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean || '?';
}
