import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import { createFleet } from './aws/fleet.js';
import { checkAccounts, checkRegions } from './cli/doctor-accounts.js';
import { createCommandRegistry, type CommandRegistry } from './commands/registry.js';
import { parseCommand } from './commands/parse.js';
import { ConfigError, loadConfig, type Config, type ConfigPurpose } from './config/load.js';
import { redactText, secretValues } from './config/redact.js';
import { UserFacingError } from './lib/errors.js';
import { createLogger, type Logger } from './lib/logger.js';
import { escapeTerminal, escapeTerminalLines, renderInlineText, renderText } from './render/text/index.js';
import { formatChecks, runDoctor } from './cli/doctor.js';
import { manifestWithUrl, readShippedManifest, requestUrlFor } from './cli/manifest.js';
import { createDefaultPorts, type PortsOptions, type PortsHandle } from './cli/ports.js';
import { connectRedis, redisPing, slackAuthTest, type SlackIdentity } from './cli/probes.js';
import { ALERTS_USAGE, badUsage, cliHelp, cliUsageLines, cliVerbs, PROGRAM, START_USAGE } from './cli/usage.js';
import { parseCliArgs } from './cli/args.js';
import { closestWord } from './cli/suggest.js';
import { packageVersion } from './cli/version.js';
import { quietSdkNodeVersionWarning } from './cli/sdk-warning.js';
import { runDigestCli } from './cli/digest.js';
import { runTeamsCli } from './cli/teams.js';
import { runTeamsManifestCli } from './cli/teams-manifest.js';
import { AlertStore } from './alerts/store.js';
import { parseAlertsArgs } from './cli/alerts.js';
import { runTestUploadCli } from './cli/test-upload.js';
import { runCleanupCli } from './cli/cleanup.js';
import type { PlaygroundCliDeps } from './cli/playground.js';

/** Exit statuses of SPEC section 11. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** What the command line talks to; every piece has a default and tests replace them. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  now?: () => Date;
  /** The AWS ports for a configuration; `redis` is set when Redis answered (the cost cache). */
  createPorts?: (config: Config, options: PortsOptions) => Promise<PortsHandle>;
  connectRedis?: (url: string) => Promise<Redis>;
  redisPing?: (url: string) => Promise<void>;
  slackAuthTest?: (token: string, apiUrl?: string) => Promise<SlackIdentity>;
  readFile?: (path: string) => Promise<string>;
  readManifest?: () => Promise<string>;
  startBot?: (config: Config, logger: Logger) => Promise<unknown>;
  /** What `start` runs without Slack settings (the local playground). */
  startPlayground?: PlaygroundCliDeps['startPlayground'];
  /** The S3 client of `doctor`'s test-prefix checks. */
  createS3?: (config: Config) => S3Client;
  registry?: CommandRegistry;
}

function processIo(): CliIo {
  quietSdkNodeVersionWarning(process);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Runs `s3-chatops <argv>` and returns its exit status: 0 done, 1 a failure it explains, 2 bad usage. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const registry = io.registry ?? createCommandRegistry();
  const secrets = secretValues(io.env);
  const fail = (text: string): number => {
    io.stderr.write(`${escapeTerminalLines(redactText(text, secrets))}\n`);
    return EXIT_FAILURE;
  };
  const [verb, ...rest] = argv;
  // `s3-chatops cleanup --help` asks for help, not for a flag cleanup lacks.
  if (verb !== undefined && rest.some((word) => word === '--help' || word === '-h')) {
    io.stdout.write(cliHelp(registry));
    return EXIT_OK;
  }
  try {
    switch (verb) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(cliHelp(registry));
        return EXIT_OK;
      case '--version':
      case '-v':
      case 'version':
        io.stdout.write(`${PROGRAM} ${await packageVersion()}\n`);
        return EXIT_OK;
      case 'doctor':
        return await doctor(rest, io);
      case 'manifest':
        return await manifest(rest, io);
      case 'start':
        return await start(rest, io);
      case 'alerts':
        if (rest[0] === 'evaluate') return await alertsEvaluate(rest, io);
        return await readCommand(argv, io, registry);
      case 'teams-manifest':
        return await runTeamsManifestCli(rest, { stdout: io.stdout, stderr: io.stderr, version: await packageVersion() }, registry);
      case 'teams':
        return await runTeamsCli(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env, now: io.now ?? (() => new Date()) });
      case 'test':
      case 'test-upload':
      case 'cleanup': {
        const actionIo = { stdout: io.stdout, stderr: io.stderr, env: io.env, loadConfig: configLoader(io, 'cli'), logger: cliLogger(io), now: io.now ?? (() => new Date()), render: (m: Parameters<typeof renderText>[0]) => renderText(m, { color: useColor(io) }) };
        return await (verb === 'cleanup' ? runCleanupCli : runTestUploadCli)(rest, actionIo);
      }
      case 'digest':
        return await runDigestCli(rest, {
          stdout: io.stdout,
          stderr: io.stderr,
          now: io.now ?? (() => new Date()),
          logger: cliLogger(io),
          color: useColor(io),
          loadConfig: configLoader(io, 'cli'),
          createPorts: io.createPorts ?? createDefaultPorts,
          connectRedis: io.connectRedis ?? connectRedis,
        });
      default:
        if (registry.get(verb)) return await readCommand(argv, io, registry);
        return unknownCommand(verb, io, registry);
    }
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    if (error instanceof UserFacingError) return fail(`${PROGRAM}: ${renderInlineText(error.userMessage)}`);
    // Not one of ours: say what it was, and where the whole story is, without a stack trace.
    cliLogger(io).error({ err: error }, 'unexpected error');
    return fail(`${PROGRAM}: unexpected error: ${(error as Error).message ?? String(error)} (run with LOG_LEVEL=debug for the details)`);
  }
}

/** An unknown verb: the likely one when it looks like a typo, the whole usage otherwise. */
function unknownCommand(verb: string, io: CliIo, registry: CommandRegistry): number {
  const shown = verb.replace(/[\p{Cc}\p{Cf}`]/gu, '').slice(0, 40);
  const likely = closestWord(verb, cliVerbs(registry));
  if (likely) io.stderr.write(`${PROGRAM}: unknown command \`${escapeTerminal(shown)}\`; did you mean \`${likely}\`?\nRun \`${PROGRAM} --help\` for every command.\n`);
  else io.stderr.write(badUsage(`unknown command \`${shown}\``, cliUsageLines(registry)));
  return EXIT_USAGE;
}

function configLoader(io: CliIo, purpose: ConfigPurpose): () => Promise<Config> {
  return () => loadConfig({ env: io.env, purpose, ...(io.readFile ? { readFile: io.readFile } : {}) });
}

/** The command line explains failures itself; it logs (to stderr, so stdout stays the report) only when LOG_LEVEL asks. */
function cliLogger(io: CliIo): Logger {
  return createLogger({ level: io.env.LOG_LEVEL?.trim() || 'silent', destination: io.stderr as NodeJS.WritableStream, secrets: secretValues(io.env) });
}

async function readCommand(argv: readonly string[], io: CliIo, registry: CommandRegistry): Promise<number> {
  const config = await configLoader(io, 'cli')();
  const parsed = parseCommand(argv, registry, config, { extraOptions: { json: { type: 'boolean' } } });
  if (!parsed.ok) {
    io.stderr.write(badUsage(parsed.problem, parsed.usage));
    return EXIT_USAGE;
  }
  const { spec, args } = parsed;
  const json = args.flags.json === true;
  delete args.flags.json;

  const logger = cliLogger(io);
  let redis: Redis | undefined;
  if (spec.verb === 'costs' || spec.verb === 'alerts') {
    try {
      redis = await (io.connectRedis ?? connectRedis)(config.env.REDIS_URL);
    } catch (error) {
      const why = `Redis at ${redactText(config.env.REDIS_URL)} did not answer (${escapeTerminal(redactText((error as Error).message))})`;
      // Costs go on without their cache, and say so; `alerts` cannot, and its own answer says why.
      if (spec.verb === 'costs') io.stderr.write(`note: ${why}; asking Cost Explorer without the cache (each request is billed)\n`);
      else io.stderr.write(`note: ${why}\n`);
    }
  }
  let handle: PortsHandle | undefined;
  try {
    // A listing may scan for a while: a person at a terminal sees it move; a pipe gets the answer alone.
    const progress = io.stderr.isTTY ? { progress: (line: string) => io.stderr.write(line) } : {};
    handle = await (io.createPorts ?? createDefaultPorts)(config, { logger, now: io.now ?? (() => new Date()), ...(redis ? { redis } : {}), ...progress });
    const report = await spec.run({ config, aws: handle.ports, now: io.now ?? (() => new Date()), logger, ...(redis ? { alerts: new AlertStore(redis) } : {}) }, args);
    io.stdout.write(json ? `${JSON.stringify(report.data, null, 2)}\n` : renderText(report.message, { color: useColor(io) }));
    return EXIT_OK;
  } finally {
    handle?.close?.();
    redis?.disconnect();
  }
}

function useColor(io: CliIo): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}

async function doctor(rest: string[], io: CliIo): Promise<number> {
  if (rest.length > 0) {
    io.stderr.write(badUsage('`doctor` takes no arguments', ['doctor']));
    return EXIT_USAGE;
  }
  // What doctor opened (SDK sockets), let go of so the process can exit.
  const closers: (() => void)[] = [];
  try {
    const results = await runDoctor({
      env: io.env,
      loadConfig: configLoader(io, 'doctor'),
      createPorts: async (config) => {
        const handle = await (io.createPorts ?? createDefaultPorts)(config, { logger: cliLogger(io) });
        if (handle.close) closers.push(handle.close);
        return handle.ports;
      },
      createS3: (config) => {
        if (io.createS3) return io.createS3(config);
        const fleet = createFleet(config, { logger: cliLogger(io) });
        closers.push(() => fleet.release());
        return fleet.s3For;
      },
      // Ports stood in for (tests) have no accounts or regions to check.
      checkFleet: io.createPorts ? undefined : async (config) => {
        const fleet = createFleet(config, { logger: cliLogger(io) });
        closers.push(() => fleet.release());
        return [...(await checkAccounts(config, fleet)), ...(await checkRegions(config, fleet))];
      },
      slackAuthTest: io.slackAuthTest ?? slackAuthTest,
      redisPing: io.redisPing ?? redisPing,
      now: io.now ?? (() => new Date()),
    });
    io.stdout.write(`${escapeTerminalLines(redactText(formatChecks(results), secretValues(io.env)))}\n`);
    const failed = results.filter((r) => r.status === 'fail').length;
    io.stdout.write(failed === 0 ? '\nEverything checked is ok.\n' : `\n${failed} check${failed === 1 ? '' : 's'} failed.\n`);
    return failed === 0 ? EXIT_OK : EXIT_FAILURE;
  } finally {
    for (const close of closers) close();
  }
}

/** `alerts evaluate [--post]`: one evaluation now; with --post it records and posts the changes (needs Redis). */
async function alertsEvaluate(rest: string[], io: CliIo): Promise<number> {
  const parsed = parseAlertsArgs(rest);
  if ('problem' in parsed) {
    io.stderr.write(badUsage(parsed.problem, ALERTS_USAGE));
    return EXIT_USAGE;
  }
  const config = await configLoader(io, 'cli')();
  const logger = cliLogger(io);
  let redis: Redis | undefined;
  try {
    redis = await (io.connectRedis ?? connectRedis)(config.env.REDIS_URL);
  } catch (error) {
    if (parsed.post) return fail(io, `${PROGRAM}: --post records alert state in Redis, and Redis at ${redactText(config.env.REDIS_URL)} did not answer (${redactText((error as Error).message)})`);
    io.stderr.write('note: Redis did not answer; previewing without the alert state\n');
  }
  let handle: PortsHandle | undefined;
  try {
    const now = io.now ?? (() => new Date());
    handle = await (io.createPorts ?? createDefaultPorts)(config, { logger, now, ...(redis ? { redis } : {}) });
    const { runAlertsEvaluate } = await import('./cli/alerts.js');
    await runAlertsEvaluate({ config, aws: handle.ports, ...(redis ? { redis } : {}), logger, now, write: (t) => io.stdout.write(t), render: (m) => renderText(m, { color: useColor(io) }) }, parsed.post);
    return EXIT_OK;
  } finally {
    handle?.close?.();
    redis?.disconnect();
  }
}

function fail(io: CliIo, text: string): number {
  io.stderr.write(`${escapeTerminalLines(redactText(text, secretValues(io.env)))}\n`);
  return EXIT_FAILURE;
}

async function manifest(rest: string[], io: CliIo): Promise<number> {
  const parsed = parseCliArgs('manifest', rest, { url: { type: 'string' } });
  if ('problem' in parsed) {
    io.stderr.write(badUsage(parsed.problem, ['manifest [--url URL]']));
    return EXIT_USAGE;
  }
  const url = parsed.values.url as string | undefined;
  let requestUrl: string | undefined;
  if (url !== undefined) {
    const resolved = requestUrlFor(url);
    if ('problem' in resolved) {
      io.stderr.write(badUsage(resolved.problem, ['manifest [--url URL]']));
      return EXIT_USAGE;
    }
    requestUrl = resolved.url;
  }
  io.stdout.write(manifestWithUrl(await (io.readManifest ?? readShippedManifest)(), requestUrl));
  return EXIT_OK;
}

async function start(rest: string[], io: CliIo): Promise<number> {
  const parsed = parseCliArgs('start', rest, { role: { type: 'string' }, demo: { type: 'boolean' } });
  if ('problem' in parsed) {
    io.stderr.write(badUsage(parsed.problem, START_USAGE));
    return EXIT_USAGE;
  }
  const chosen = (parsed.values.role as string | undefined) ?? 'all';
  if (chosen !== 'all' && chosen !== 'bot' && chosen !== 'worker') {
    io.stderr.write(badUsage(`there is no \`${chosen.slice(0, 40)}\` role; use all (the default), bot or worker`, START_USAGE));
    return EXIT_USAGE;
  }
  const demo = parsed.values.demo === true;
  if (demo && chosen === 'worker') {
    io.stderr.write(badUsage('--demo runs the playground, which is bot and worker together; leave out --role worker', START_USAGE));
    return EXIT_USAGE;
  }
  // No Slack settings at all: the local playground. Some but not all is a mistake, refused below as before.
  if (demo || (chosen !== 'worker' && !hasSlackSettings(io.env))) {
    const { runPlayground } = await import('./cli/playground.js');
    return runPlayground({ demo, io: { stdout: io.stdout, stderr: io.stderr, env: io.env }, ...(io.startPlayground ? { startPlayground: io.startPlayground } : {}), loadConfig: (env, readFile) => loadConfig({ env, purpose: 'cli', ...(readFile ? { readFile } : io.readFile ? { readFile: io.readFile } : {}) }) });
  }
  // The worker needs no signing secret: it only posts.
  const config = await configLoader(io, chosen === 'worker' ? 'cli' : 'bot')();
  const logger = createLogger({ level: config.env.LOG_LEVEL, secrets: secretValues(io.env) });
  if (chosen !== 'bot') {
    const { startRoles } = await import('./cli/start-roles.js');
    await startRoles(chosen, config, logger, io.startBot);
    return EXIT_OK;
  }
  // Loaded on demand so the read commands never load Bolt.
  const startBot = io.startBot ?? (await loadStartBot());
  await startBot(config, logger);
  return EXIT_OK;
}

/** True when any Slack setting is given; the playground starts only when none is. */
function hasSlackSettings(env: Record<string, string | undefined>): boolean {
  return ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].some((name) => (env[name] ?? '').trim() !== '');
}

async function loadStartBot(): Promise<(config: Config, logger: Logger) => Promise<unknown>> {
  const { startBot } = await import('./main.js');
  return startBot;
}


/** True when this file is the program itself (`node dist/cli.js …`, `node --import tsx src/cli.ts …`), not imported by the bin. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await runCli(process.argv.slice(2));
