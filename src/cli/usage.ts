import type { CommandRegistry } from '../commands/registry.js';
import { buildHelp, type HelpEntry } from '../reports/help.js';
import { escapeTerminal, renderInlineText, renderText } from '../render/text/index.js';

/** The program's name as typed in a terminal. */
export const PROGRAM = 's3-chatops';

export const TEST_UPLOAD_USAGE = ['test-upload <bucket> [--json]'];
export const CLEANUP_USAGE = ['cleanup <bucket> [--yes] [--json]'];
export const START_USAGE = ['start [--role all|bot|worker] [--demo]'];
export const DIGEST_USAGE = ['digest [--post] [--json]'];
export const ALERTS_USAGE = ['alerts [--json]', 'alerts evaluate [--post]'];

/**
 * Where the command line's form of a registry command differs from Slack's: the terminal has no
 * buttons, so a test upload is its own verb and a cleanup is confirmed with --yes.
 */
const CLI_FORMS: Record<string, Omit<HelpEntry, 'summary'> & { summary?: string }> = {
  test: { usage: TEST_UPLOAD_USAGE[0]!, example: 'test-upload surgical-docs' },
  cleanup: {
    usage: CLEANUP_USAGE[0]!,
    summary: 'previews deleting test files older than the configured age (count, size, oldest, newest); --yes deletes them, with progress on stderr',
    example: 'cleanup surgical-docs --yes',
  },
  digest: {
    usage: DIGEST_USAGE[0]!,
    summary: 'prints the daily digest; --post posts it now to channels.digest (and to Teams when TEAMS_WEBHOOK_URL is set)',
    example: 'digest --post',
  },
};

/** Commands only the command line has, listed after the read commands of the registry. */
const CLI_ONLY: HelpEntry[] = [
  { usage: 'doctor', summary: 'check the configuration and every permission each feature needs (S3, CloudWatch, Cost Explorer, the access-log bucket, the test prefix), Slack auth.test, Redis and the Teams webhook\'s shape', example: 'doctor' },
  { usage: ALERTS_USAGE[1]!, summary: 'evaluate every alert rule now and preview the messages; --post records and posts the changes (to Teams too when TEAMS_WEBHOOK_URL is set)', example: 'alerts evaluate --post' },
  { usage: 'teams test', summary: 'post one test card to TEAMS_WEBHOOK_URL and print what Teams answered', example: 'teams test' },
  { usage: 'teams-manifest --bot-id APP_ID --url URL [--out FILE]', summary: 'write the Teams app package (manifest.json and icons, zipped) for the Azure Bot with that app id, to upload in Teams', example: 'teams-manifest --bot-id 5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f --url https://s3-chatops.example.org' },
  { usage: 'manifest [--url URL]', summary: 'print the Slack app manifest with its request URLs pointed at URL', example: 'manifest --url https://s3-chatops.example.org' },
  { usage: START_USAGE[0]!, summary: 'run the Slack app (HTTP, or Socket Mode when SLACK_APP_TOKEN is set) and the worker (alerts, digests, cleanups); all is the default. Without Slack settings, a local chat page (the playground) on 127.0.0.1:PORT stands in for Slack; --demo runs it against a seeded local AWS emulator', example: 'start --demo' },
  { usage: '--version', summary: 'print the version', example: '--version' },
];

/** Every verb the command line answers to, for suggestions; `test` stays accepted as the old name of `test-upload`. */
export function cliVerbs(registry: CommandRegistry): string[] {
  return [...cliEntries(registry).map((e) => e.usage.split(' ')[0]!), 'test', 'help'];
}

function cliEntries(registry: CommandRegistry): HelpEntry[] {
  const read = registry
    .helpEntries()
    .filter((e) => e.verb !== 'help')
    .map(({ verb, usage, summary, example }) => ({ usage, summary, example, ...CLI_FORMS[verb] }));
  return [...read, ...CLI_ONLY];
}

/** The command line's help: the registry's help in the terminal's forms, then the commands only it has. */
export function cliHelp(registry: CommandRegistry): string {
  const help = buildHelp(cliEntries(registry), PROGRAM);
  return `Usage: ${PROGRAM} <command> [bucket] [flags]\n\n${renderText(help.message)}\nRead commands take --json to print the data behind the report instead.\nSettings come from the environment and CONFIG_FILE (default s3-chatops.yml); see the README.\n`;
}

/** Every command's usage line, for an unknown command: the read commands, then the command line's own. */
export function cliUsageLines(registry: CommandRegistry): string[] {
  return [...cliEntries(registry).map((c) => c.usage), 'help'];
}

/** A bad-usage answer for the terminal: the problem, then the usage lines with the program's name. */
export function badUsage(problem: string, usage: readonly string[]): string {
  // The problem may repeat what was typed: it is shown, never sent to the terminal raw.
  return `${PROGRAM}: ${renderInlineText(problem)}\n\nUsage:\n${usage.map((line) => `  ${PROGRAM} ${escapeTerminal(line)}`).join('\n')}\n`;
}
