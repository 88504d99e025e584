import { alertsCommand } from './alerts.js';
import { changesCommand } from './changes.js';
import { cleanupCommand } from './cleanup.js';
import { costsCommand } from './costs.js';
import { digestCommand } from './digest.js';
import { errorsCommand } from './errors.js';
import { createHelpCommand } from './help.js';
import { statusCommand } from './status.js';
import { testCommand } from './test.js';
import type { CommandSpec } from './types.js';
import { uploadsCommand } from './uploads.js';

/** What `/s3 help` shows of one command. */
export interface HelpEntry {
  verb: string;
  usage: string;
  summary: string;
  example: string;
}

/** The verb → command map; it also writes the help, so a command cannot exist without its line. */
export interface CommandRegistry {
  /** Every command, in the order help lists them. */
  readonly specs: readonly CommandSpec[];
  /** The command for a verb (case-insensitive), or `undefined`. */
  get(verb: string): CommandSpec | undefined;
  /** One entry per command, for the help report. */
  helpEntries(): HelpEntry[];
  /**
   * The usage of every command, one line each, without the surface's prefix (`status [bucket]`):
   * Slack shows them after `/s3`, a terminal after `s3-chatops`.
   */
  usageLines(): string[];
  /** One command's usage, then its example, in the same form. */
  usageOf(spec: CommandSpec): string[];
}

/** Builds a registry over the given commands; verbs must be unique. */
export function createRegistry(specs: readonly CommandSpec[]): CommandRegistry {
  const byVerb = new Map<string, CommandSpec>();
  for (const spec of specs) {
    const verb = spec.verb.toLowerCase();
    if (byVerb.has(verb)) throw new Error(`two commands answer to "${verb}"`);
    byVerb.set(verb, spec);
  }
  return {
    specs,
    get: (verb) => byVerb.get(verb.toLowerCase()),
    helpEntries: () => specs.map(({ verb, usage, summary, example }) => ({ verb, usage, summary, example })),
    usageLines: () => specs.map((spec) => spec.usage),
    usageOf: (spec) => (spec.example === spec.usage ? [spec.usage] : [spec.usage, spec.example]),
  };
}

/** The read commands of `/s3` and `s3-chatops`, with `help` last writing itself from the rest. */
export function createCommandRegistry(): CommandRegistry {
  const specs: CommandSpec[] = [statusCommand, uploadsCommand, errorsCommand, changesCommand, costsCommand, alertsCommand, testCommand, cleanupCommand, digestCommand];
  let registry: CommandRegistry | undefined;
  specs.push(createHelpCommand(() => registry?.helpEntries() ?? []));
  registry = createRegistry(specs);
  return registry;
}
