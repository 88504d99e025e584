/** The short, ephemeral answer to bad input: what was wrong, and the usage. */
import type { Message } from '../message/model.js';
import { code } from '../message/markup.js';

const MAX_PROBLEM = 300;

/** Says what was wrong with the input and shows the usage lines, to the asker only. */
export function badInput(problem: string, usageLines: string[]): Message {
  // The problem may quote what was typed, which can be 10,000 characters of noise.
  const text = problem.length > MAX_PROBLEM ? `${problem.slice(0, MAX_PROBLEM - 1)}…` : problem;
  return {
    summary: text,
    ephemeral: true,
    blocks: [
      { kind: 'list', items: [{ severity: 'warning', text }] },
      ...(usageLines.length > 0 ? [{ kind: 'list' as const, title: 'Usage', items: usageLines.map((u) => ({ text: code(u) })) }] : []),
    ],
  };
}
