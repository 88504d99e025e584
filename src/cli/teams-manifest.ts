/** `s3-chatops teams-manifest`: the Teams app package (manifest.json and its two icons, zipped) to upload in Teams. */
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { strToU8, zipSync } from 'fflate';
import type { CommandRegistry } from '../commands/registry.js';
import { parseCliArgs } from './args.js';
import { encodePng, onBucket, type Rgba } from './png.js';
import { badUsage, PROGRAM } from './usage.js';

export const TEAMS_MANIFEST_USAGE = ['teams-manifest --bot-id APP_ID --url URL [--out FILE]'];

/** Where the package goes unless `--out` says otherwise. */
export const DEFAULT_PACKAGE_FILE = 's3-chatops-teams.zip';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The icons' background, as the manifest's accent color too. */
const ACCENT: Rgba = [0x23, 0x6b, 0x8e, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

export interface TeamsManifestIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
  version: string;
}

/** The manifest for a bot with `botId`, whose web pages are at `url`; the commands come from the registry. */
export function teamsManifest(botId: string, url: URL, version: string, registry: CommandRegistry): Record<string, unknown> {
  // Teams shows a command list of at most 10, each title up to 32 characters and description up to 128.
  const commands = registry.specs.slice(0, 10).map((spec) => ({ title: spec.verb.slice(0, 32), description: spec.summary.length > 128 ? `${spec.summary.slice(0, 127)}…` : spec.summary }));
  const site = url.origin;
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: version.replace(/[^0-9.]/g, '') || '1.0.0',
    id: botId,
    developer: { name: 's3-chatops', websiteUrl: site, privacyUrl: site, termsOfUseUrl: site },
    name: { short: 's3-chatops', full: 's3-chatops: watch and operate S3 buckets' },
    description: {
      short: 'S3 bucket status, uploads, errors, costs and alerts.',
      full: 'Ask for an S3 bucket\'s status, recent uploads, error rates and costs, run a test upload, clean up old test files, and snooze or acknowledge alerts, from a channel (mention the bot) or a personal chat.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: `#${ACCENT.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase()}`,
    bots: [
      {
        botId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [url.host],
  };
}

/** The app package: manifest.json, the 192×192 color icon and the 32×32 white-on-transparent outline icon. */
export function teamsAppPackage(manifest: Record<string, unknown>): Uint8Array {
  const color = encodePng(192, (x, y) => (onBucket(x, y, 192) ? WHITE : ACCENT));
  const outline = encodePng(32, (x, y) => (onBucket(x, y, 32) ? WHITE : CLEAR));
  return zipSync({ 'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`), 'color.png': color, 'outline.png': outline });
}

/** Runs `teams-manifest`; returns the exit status (0 written, 1 could not write, 2 bad usage). */
export async function runTeamsManifestCli(rest: readonly string[], io: TeamsManifestIo, registry: CommandRegistry): Promise<number> {
  const parsed = parseCliArgs('teams-manifest', rest, { 'bot-id': { type: 'string' }, url: { type: 'string' }, out: { type: 'string' } });
  if ('problem' in parsed) {
    io.stderr.write(badUsage(parsed.problem, TEAMS_MANIFEST_USAGE));
    return 2;
  }
  const botId = parsed.values['bot-id'] as string | undefined;
  const rawUrl = parsed.values.url as string | undefined;
  const out = (parsed.values.out as string | undefined) ?? DEFAULT_PACKAGE_FILE;
  if (!botId || !GUID.test(botId)) {
    io.stderr.write(badUsage(botId ? '`--bot-id` must be the Azure Bot\'s Microsoft App ID, a GUID such as 5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f' : '`--bot-id` is needed: the Azure Bot\'s Microsoft App ID', TEAMS_MANIFEST_USAGE));
    return 2;
  }
  const url = rawUrl && URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
  if (!url || url.protocol !== 'https:') {
    io.stderr.write(badUsage('`--url` must be the bot\'s public https URL, such as https://s3-chatops.example.org', TEAMS_MANIFEST_USAGE));
    return 2;
  }
  const zip = teamsAppPackage(teamsManifest(botId, url, io.version, registry));
  try {
    await (io.writeFile ?? fsWriteFile)(out, zip);
  } catch (error) {
    io.stderr.write(`${PROGRAM}: could not write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`Wrote ${out} (${zip.length} bytes): manifest.json, color.png, outline.png. In Teams: Apps → Manage your apps → Upload an app → Upload a custom app, and pick this file.\n`);
  return 0;
}
