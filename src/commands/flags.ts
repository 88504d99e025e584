import { parseDuration, parseIntInRange, stringFlag } from './values.js';
import { code } from '../message/markup.js';
import type { CommandArgs } from './types.js';

type Flags = CommandArgs['flags'];

/** Checks `--name` is a duration such as `90m`, `24h` or `7d`, when given. */
export function checkDuration(flags: Flags, name: string, allowed?: readonly string[]): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (allowed) {
    return allowed.includes(value) ? undefined : `\`--${name}\` is one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not ${code(shown(value))}.`;
  }
  return parseDuration(value) === undefined
    ? `\`--${name}\` is a duration such as \`90m\`, \`24h\` or \`7d\` (at most 90 days), not ${code(shown(value))}.`
    : undefined;
}

/** Checks `--name` is a whole number from `min` to `max`, when given. */
export function checkIntInRange(flags: Flags, name: string, min: number, max: number): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  return parseIntInRange(value, min, max) === undefined
    ? `\`--${name}\` is a whole number from ${min} to ${max}, not ${code(shown(value))}.`
    : undefined;
}

/** Checks `--name`, when given, is not empty. */
export function checkNonEmpty(flags: Flags, name: string): string | undefined {
  const value = stringFlag(flags, name);
  return value !== undefined && value.length === 0 ? `\`--${name}\` needs a value.` : undefined;
}

function shown(value: string): string {
  const clean = value.replace(/[\p{Cc}\p{Cf}`]/gu, '');
  return [...clean].length > 20 ? `${[...clean].slice(0, 20).join('')}…` : clean;
}
