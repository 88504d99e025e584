/** `/s3 help`: every command, one line each, with an example; built from the command list. */
import type { Message, Report } from '../message/model.js';
import { code } from '../message/markup.js';

export interface HelpEntry {
  usage: string;
  summary: string;
  example: string;
}

/** Builds the help message; `prefix` is how the surface invokes a command (`/s3` in Slack, `s3-chatops` in a terminal). */
export function buildHelp(commands: HelpEntry[], prefix = '/s3'): Report<{ commands: HelpEntry[] }> {
  const message: Message = {
    summary: `${prefix} commands: ${commands.map((c) => c.usage.split(' ')[0]).join(', ')}`,
    blocks: [
      { kind: 'header', text: 's3-chatops commands' },
      {
        kind: 'list',
        items: commands.map((c) => ({ text: `${code(`${prefix} ${c.usage}`)}: ${c.summary}`, detail: `e.g. ${code(`${prefix} ${c.example}`)}` })),
      },
      { kind: 'context', text: 'A bucket is named by its name or its configured alias; with one bucket configured it can be left out.' },
    ],
  };
  return { message, data: { commands } };
}
