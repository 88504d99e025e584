/**
 * zod's messages for the configuration, said the way an operator reads them. Used as the parse's
 * error map, so every setting, present or added later, gets them; a message a schema writes for
 * itself (a `.min(1, '…')`, a refinement) still wins.
 */
import type { z } from 'zod';

/** The error map for `safeParse(input, { error: configIssueMessage })`; `undefined` leaves zod's own. */
export function configIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      // Only a missing value is "required"; a value of the wrong type says what it is.
      if (issue.input === undefined) return 'is required';
      return `expected ${issue.expected === 'int' ? 'a whole number' : article(issue.expected)}, got ${describe(issue.input)}`;
    case 'invalid_union':
      return unionMessage(issue);
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(issue.input)}`;
    case 'too_small':
      return boundMessage(issue.origin, 'at least', 'more than', issue.minimum, issue.inclusive);
    case 'too_big':
      return boundMessage(issue.origin, 'at most', 'less than', issue.maximum, issue.inclusive);
    case 'not_multiple_of':
      return issue.divisor === 1 ? 'must be a whole number' : `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

function boundMessage(origin: string, inclusiveWord: string, exclusiveWord: string, bound: number | bigint | Date, inclusive: boolean | undefined): string | undefined {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return `must be ${word} ${String(bound)}`;
  if (origin === 'string') return `must be ${word} ${String(bound)} character${bound === 1 ? '' : 's'} long`;
  if (origin === 'array' || origin === 'set') return `must list ${word} ${String(bound)} item${bound === 1 ? '' : 's'}`;
  return undefined;
}

/** `expected false or an object, got a boolean (true)`: what each alternative wanted, from its own issue. */
function unionMessage(issue: Extract<z.core.$ZodRawIssue, { code: 'invalid_union' }>): string | undefined {
  const wanted: string[] = [];
  for (const branch of issue.errors) {
    // A branch that failed deeper (a wrong field inside an object) is not a type mismatch: leave zod's message.
    const first = branch[0];
    if (!first || first.path.length > 0) return undefined;
    if (first.code === 'invalid_type') wanted.push(article(first.expected));
    else if (first.code === 'invalid_value') wanted.push(...first.values.map((v) => JSON.stringify(v)));
    else return undefined;
  }
  return `expected ${[...new Set(wanted)].join(' or ')}, got ${describe(issue.input)}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The value's type and, when short, the value itself: `a string ("7")`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const type = typeof value === 'object' ? 'an object' : article(typeof value);
  if (typeof value === 'string') return `${type} (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${type} (${String(value)})`;
  return type;
}
