import { buildHelp } from '../reports/help.js';
import type { HelpEntry } from '../reports/help.js';
import type { CommandSpec } from './types.js';

/** `help`: every command, one line each, with an example; the entries come from the registry. */
export function createHelpCommand(entries: () => HelpEntry[]): CommandSpec {
  return {
    verb: 'help',
    summary: 'every command, one line each, with an example',
    usage: 'help',
    example: 'help',
    bucket: 'none',
    options: {},
    async run() {
      return buildHelp(entries());
    },
  };
}
