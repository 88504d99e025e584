import type { CommandRegistry } from '../commands/registry.js';
import { buildHelp, type HelpEntry } from '../reports/help.js';
import { escapeTerminal, renderInlineText, renderText } from '../render/text/index.js';

/** The program's name as typed in a terminal. */
export const PROGRAM = 's3-chatops';

/** Commands only the command line has, listed after the read commands of the registry. */
const CLI_ONLY: HelpEntry[] = [
  { usage: 'doctor', summary: 'check the configuration, each bucket\'s permissions, Slack auth.test, Redis and the Teams webhook\'s shape', example: 'doctor' },
  { usage: 'alerts evaluate [--post]', summary: 'evaluate every alert rule now and preview the messages; --post records and posts the changes (to Teams too when TEAMS_WEBHOOK_URL is set)', example: 'alerts evaluate --post' },
  { usage: 'digest --post', summary: 'post the daily digest now to channels.digest (and to Teams when TEAMS_WEBHOOK_URL is set)', example: 'digest --post' },
  { usage: 'teams test', summary: 'post one test card to TEAMS_WEBHOOK_URL and print what Teams answered', example: 'teams test' },
  { usage: 'manifest [--url URL]', summary: 'print the Slack app manifest with its request URLs pointed at URL', example: 'manifest --url https://s3-chatops.example.org' },
  { usage: 'start [--role bot]', summary: 'run the Slack app (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)', example: 'start --role bot' },
];

/** The command line's help: the registry's help with the terminal's prefix, then the commands only it has. */
export function cliHelp(registry: CommandRegistry): string {
  const read = registry.helpEntries().map(({ usage, summary, example }) => ({ usage, summary, example }));
  const help = buildHelp([...read, ...CLI_ONLY], PROGRAM);
  return `Usage: ${PROGRAM} <command> [bucket] [flags]\n\n${renderText(help.message)}\nRead commands take --json to print the data behind the report instead.\nSettings come from the environment and CONFIG_FILE (default s3-chatops.yml); see the README.\n`;
}

/** Every command's usage line, for an unknown command: the read commands, then the command line's own. */
export function cliUsageLines(registry: CommandRegistry): string[] {
  return [...registry.specs.filter((s) => s.verb !== 'help').map((s) => s.usage), ...CLI_ONLY.map((c) => c.usage), 'help'];
}

/** A bad-usage answer for the terminal: the problem, then the usage lines with the program's name. */
export function badUsage(problem: string, usage: readonly string[]): string {
  // The problem may repeat what was typed: it is shown, never sent to the terminal raw.
  return `${PROGRAM}: ${renderInlineText(problem)}\n\nUsage:\n${usage.map((line) => `  ${PROGRAM} ${escapeTerminal(line)}`).join('\n')}\n`;
}
