import { readFile as fsReadFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configIssueMessage } from './issue-messages.js';
import { accountProblems, duplicateBucketIds, envSchema, fileConfigSchema, type BucketConfig, type EnvConfig, type FileConfig } from './schema.js';

/** What the process is about to do; it decides which settings are required. */
export type ConfigPurpose = 'bot' | 'cli' | 'doctor';

export interface SlackSettings {
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

/** The Teams bot's identity (Azure Bot registration); present only when TEAMS_APP_ID is set. */
export interface TeamsBotSettings {
  appId: string;
  tenantId: string;
  /** A client secret, or a certificate's PEM files. */
  password?: string;
  certPemFile?: string;
  certKeyFile?: string;
  /** The Entra authority; Microsoft's public cloud when unset. */
  authority?: string;
}

/** The validated configuration: the YAML file with defaults applied, and the environment. */
export interface Config extends FileConfig {
  env: EnvConfig;
  /** The AWS region for clients, from AWS_REGION or AWS_DEFAULT_REGION. */
  region: string;
  slack: SlackSettings;
  /** The Teams bot, when configured. */
  teamsBot?: TeamsBotSettings;
  configFile: string;
}

/** Every problem found in the configuration, each a sentence a person can act on. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadOptions {
  env: Record<string, string | undefined>;
  purpose: ConfigPurpose;
  readFile?: (path: string) => Promise<string>;
}

/** Loads and validates environment and YAML together, reporting every problem at once. */
export async function loadConfig(options: LoadOptions): Promise<Config> {
  const problems: string[] = [];
  const readFile = options.readFile ?? ((path: string) => fsReadFile(path, 'utf8'));

  const envResult = envSchema.safeParse(options.env, { error: configIssueMessage });
  if (!envResult.success) problems.push(...formatIssues(envResult.error.issues, ''));
  const configFile = (envResult.success ? envResult.data.CONFIG_FILE : options.env.CONFIG_FILE) ?? 's3-chatops.yml';

  let file: FileConfig | undefined;
  let text: string | undefined;
  try {
    text = await readFile(configFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      code === 'ENOENT'
        ? `${configFile}: no such file; copy s3-chatops.example.yml to ${configFile} or set CONFIG_FILE`
        : `${configFile}: cannot be read (${code ?? (error as Error).message})`,
    );
  }
  if (text !== undefined) {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${configFile}: not valid YAML: ${e.message.split('\n')[0]}`);
    } else {
      const raw: unknown = doc.toJS() ?? {};
      const parsed = fileConfigSchema.safeParse(raw, { error: configIssueMessage });
      if (parsed.success) file = parsed.data;
      else {
        const found = formatIssues(parsed.error.issues, `${configFile}: `);
        // zod skips its refinements after some failures: the names are checked again, reported once.
        const names = formatIssues([...duplicateBucketIds(raw), ...accountProblems(raw)].map((i) => ({ ...i, code: 'custom', input: undefined })), `${configFile}: `);
        problems.push(...found, ...names.filter((p) => !found.includes(p)));
      }
    }
  }

  const env = envResult.success ? envResult.data : undefined;
  const region = env?.AWS_REGION ?? env?.AWS_DEFAULT_REGION;
  if (env && !region) problems.push('AWS_REGION is not set; set it to the region of your buckets, e.g. us-east-1');

  if (env && options.purpose === 'bot') {
    if (!env.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token (xoxb-…) from your Slack app');
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_SIGNING_SECRET is not set; copy it from your Slack app\'s Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)');
    }
  }

  const teamsBot = env ? teamsBotSettings(env, problems) : undefined;
  // Alerts go to the channel as the bot's own messages: without its identity nothing could post them.
  if (env && file?.teams.alertChannel && !env.TEAMS_APP_ID) {
    problems.push(`${configFile}: teams.alertChannel is set, but the bot has no identity: set TEAMS_APP_ID, TEAMS_TENANT_ID and TEAMS_APP_PASSWORD (the Azure Bot's), or remove teams.alertChannel and use TEAMS_WEBHOOK_URL`);
  }

  if (problems.length > 0 || !env || !file || !region) throw new ConfigError(problems);
  return {
    ...file,
    env,
    region,
    configFile,
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
    },
    ...(teamsBot ? { teamsBot } : {}),
  };
}

/** The Teams bot's settings when TEAMS_APP_ID is set; a half-configured bot is a problem, not silence. */
function teamsBotSettings(env: EnvConfig, problems: string[]): TeamsBotSettings | undefined {
  const { TEAMS_APP_ID: appId, TEAMS_TENANT_ID: tenantId, TEAMS_APP_PASSWORD: password, TEAMS_CERT_PEM_FILE: certPemFile, TEAMS_CERT_KEY_FILE: certKeyFile } = env;
  if (!appId) {
    if (tenantId || password || certPemFile) problems.push('TEAMS_APP_ID is not set, but other TEAMS_ bot settings are; copy the Microsoft App ID from the Azure Bot\'s Configuration page');
    return undefined;
  }
  const before = problems.length;
  if (!tenantId) problems.push('TEAMS_TENANT_ID is not set; copy the App Tenant ID from the Azure Bot\'s Configuration page');
  if (!password && !(certPemFile && certKeyFile)) problems.push('TEAMS_APP_PASSWORD is not set; create a client secret under the app registration\'s Certificates & secrets (or set TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE)');
  if (problems.length > before || !tenantId) return undefined;
  return {
    appId,
    tenantId,
    ...(password ? { password } : {}),
    ...(certPemFile && certKeyFile ? { certPemFile, certKeyFile } : {}),
    ...(env.TEAMS_AUTHORITY ? { authority: env.TEAMS_AUTHORITY } : {}),
  };
}

function formatIssues(issues: z.core.$ZodIssue[], prefix: string): string[] {
  return issues.flatMap((issue) => {
    // A setting that is one of several shapes (`false` or an object) and came close to one of them:
    // say what is wrong inside it, where zod would only say "Invalid input".
    const inner = issue.code === 'invalid_union' ? closestBranch(issue.errors) : undefined;
    if (inner) return formatIssues(inner.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), prefix);
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    if (issue.code === 'unrecognized_keys') {
      return [`${prefix}${path ? `${path}: ` : ''}unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`];
    }
    const where = path && !issue.message.startsWith(path) ? `${path}: ` : '';
    return [`${prefix}${where}${issue.message}`];
  });
}

/** The one alternative whose value had the right shape and failed inside it; `undefined` when none or several did. */
function closestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const deeper = branches.filter((issues) => issues.length > 0 && issues.every((i) => i.path.length > 0));
  return deeper.length === 1 ? deeper[0] : undefined;
}

/** Finds a configured bucket by name or alias; `undefined` for anything not configured. */
export function findBucket(config: Pick<Config, 'buckets'>, nameOrAlias: string): BucketConfig | undefined {
  return config.buckets.find((b) => b.name === nameOrAlias || b.alias === nameOrAlias);
}
