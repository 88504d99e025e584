import { z } from 'zod';
import { cronProblem } from './cron.js';
import { parseSize } from './size.js';
import { slackChannelId, slackUserId } from './slack-ids.js';
import { testPrefixProblem } from './test-prefix.js';
import { RISKY_CHANGES } from './risky-changes.js';

/** An AWS account id: twelve digits. */
const ACCOUNT_ID = /^\d{12}$/;
/** An IAM role ARN in any partition; the account id is its fifth field. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;

/** S3 allows at most 10,000 parts in one multipart upload. */
const MAX_PARTS = 10_000;
/** The shortest reminder interval of a firing alert: every evaluation tick would otherwise repeat it. */
const MIN_REPEAT_HOURS = 0.5;

/** The default prefix under which test uploads are written and cleaned up. */
export const DEFAULT_TEST_PREFIX = '_s3-chatops/test/';
/** The request-metrics filter id the S3 console creates when "Request metrics" is ticked. */
export const DEFAULT_METRICS_FILTER_ID = 'EntireBucket';

const size = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const bytes = parseSize(value);
    if (bytes === null) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a size; write it like 500GB, 1.5TiB or 1024` });
      return z.NEVER;
    }
    return bytes;
  });

const costTag = z
  .union([
    z.string().regex(/^[^=]+=.+$/, 'write the cost tag as key=value, e.g. bucket=surgical-docs'),
    z.object({ key: z.string().min(1), value: z.string().min(1) }).strict(),
  ])
  .transform((tag) => {
    if (typeof tag !== 'string') return tag;
    const at = tag.indexOf('=');
    return { key: tag.slice(0, at), value: tag.slice(at + 1) };
  });

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'an S3 bucket name is 3–63 characters of lower-case letters, digits, dots and hyphens',
  );

/** A share between 0 and 1 (0.10 = 10 %), as the rules compare it. */
const ratio = z.number().gt(0, 'must be more than 0: a share such as 0.10 for 10 %').max(1, 'must be at most 1: a share such as 0.10 for 10 %, not a percentage');

/** Alert thresholds of SPEC section 4; every one has its default, and a bucket may override any. */
const errorRateThreshold = z
  .object({
    /** Fires above this share of requests failing (0.10 = 10 %). */
    ratio: ratio.default(0.1),
    forMinutes: z.number().int().min(1).max(60).default(5),
    minRequests: z.number().int().min(0).default(20),
  })
  .strict();
const serverErrorsThreshold = z
  .object({
    /** Fires above this many 5xx responses per period… */
    count: z.number().min(0).default(5),
    periodMinutes: z.number().int().min(1).max(60).default(5),
    /** …in this many consecutive periods. */
    periods: z.number().int().min(1).max(12).default(2),
  })
  .strict();
const latencyThreshold = z
  .object({
    averageMs: z.number().positive().default(5_000),
    forMinutes: z.number().int().min(1).max(60).default(5),
  })
  .strict();
const sizeQuotaThreshold = z.object({ ratio: ratio.default(0.8) }).strict();
const costBudgetThreshold = z
  .object({
    /** Ratios of the budget; past 1 means over it, so 10 (ten times the budget) is as far as a warning makes sense. */
    forecastRatio: z.number().positive().max(10).default(1),
    monthToDateRatio: z.number().positive().max(10).default(0.8),
  })
  .strict();
const accessDeniedThreshold = z
  .object({
    /** Fires at this many denied (403) requests in the window; 1 = any. */
    count: z.number().int().min(1).default(1),
    /** The window of access-log records judged, by each record's time. */
    windowMinutes: z.number().int().min(5).max(1_440).default(60),
    /** Requesters whose denials are known noise: an ARN, a canonical id, `anonymous`, or a readable form; a trailing `*` matches a prefix. */
    allowRequesters: z.array(z.string().min(1)).default([]),
  })
  .strict();
const configChangeThreshold = z
  .object({
    /** The changes that fire it; each resolves once a later change sets its setting back. */
    changes: z.array(z.enum(RISKY_CHANGES)).min(1).default([...RISKY_CHANGES]),
    /** Principals whose changes are expected (a deploy role): a readable form, an ARN or a name; a trailing `*` matches a prefix. */
    allowPrincipals: z.array(z.string().min(1)).default([]),
    /** How far back CloudTrail is read each tick: a risky change older than this no longer fires. */
    windowHours: z.number().int().min(1).max(2_160).default(24),
  })
  .strict();
const testUploadThreshold = z
  .object({
    /** Fires when a scheduled test upload fails, or takes longer than this in all. */
    maxMs: z.number().positive().default(5_000),
  })
  .strict();
/** A rule may be switched off with `false`. */
const ruleSetting = <T extends z.ZodTypeAny>(shape: T) => z.union([z.literal(false), shape]);
const thresholdsShape = {
  'error-rate': ruleSetting(errorRateThreshold),
  'server-errors': ruleSetting(serverErrorsThreshold),
  latency: ruleSetting(latencyThreshold),
  'size-quota': ruleSetting(sizeQuotaThreshold),
  'cost-budget': ruleSetting(costBudgetThreshold),
  'no-request-metrics': z.boolean(),
  'test-upload': ruleSetting(testUploadThreshold),
  'access-denied': ruleSetting(accessDeniedThreshold),
  'config-change': ruleSetting(configChangeThreshold),
};
/** Per-bucket overrides: only what is written replaces the fleet's settings. */
const bucketThresholds = z.object(thresholdsShape).partial().strict();

const bucket = z
  .object({
    name: bucketName,
    alias: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an alias is one word of letters, digits, dots, dashes or underscores')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: (issue) => `${JSON.stringify(issue.input)} is not an AWS region code; write it like us-east-1 or eu-west-2` })
      .optional(),
    quota: size.refine((bytes) => bytes > 0, 'the quota must be more than 0 bytes, e.g. 500GB; leave it out for none').optional(),
    testPrefix: z
      .string()
      .superRefine((p, ctx) => {
        const problem = testPrefixProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(DEFAULT_TEST_PREFIX),
    requestMetricsFilterId: z.string().min(1).default(DEFAULT_METRICS_FILTER_ID),
    costTag: costTag.optional(),
    /** Alert thresholds for this bucket, over `alerts.thresholds`. */
    thresholds: bucketThresholds.optional(),
    /** The id of the account (under `accounts`) the bucket lives in; absent: the account of the bot's own credentials. */
    account: z.string().regex(ACCOUNT_ID, 'an AWS account id is 12 digits, e.g. 222222222222').optional(),
  })
  .strict();

/**
 * Another AWS account whose buckets are watched, through a role the bot assumes there. An entry
 * without `roleArn` names the bot's own account (so its buckets can be grouped, or costed from a payer).
 */
const account = z
  .object({
    id: z.string().regex(ACCOUNT_ID, 'an AWS account id is 12 digits, e.g. 222222222222'),
    roleArn: z
      .string()
      .regex(ROLE_ARN, { error: (issue) => `${JSON.stringify(issue.input)} is not an IAM role ARN; write it like arn:aws:iam::222222222222:role/s3-chatops-read` })
      .optional(),
    /** The external id the role's trust policy requires, if any. */
    externalId: z.string().regex(/^[\w+=,.@:\/-]{2,1224}$/, 'an external id is 2–1224 letters, digits or +=,.@:/-').optional(),
    /** The role session's name, as CloudTrail shows it in the watched account. */
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'a session name is 2–64 letters, digits or +=,.@-').default('s3-chatops'),
  })
  .strict();

const channels = z
  .object({
    alerts: slackChannelId.optional(),
    digest: slackChannelId.optional(),
    audit: slackChannelId.optional(),
  })
  .strict()
  .default({});

/** A Microsoft Entra object id (a GUID): how the Teams bot knows people, never by name. */
const entraObjectId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Microsoft Entra object id; list ids such as 0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b (Entra admin center → Users → Object ID), one per person`,
});

/** A Teams channel's conversation id, as the Bot Connector names it. */
const teamsChannelId = z.string().regex(/^19:[^\s]+$/, 'write the channel\'s conversation id, such as 19:abc123@thread.tacv2 (the channel\'s link, between /channel/ and the next /, URL-decoded)');

/** Hosts a plain-http Bot Connector may be on: this machine only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The Bot Connector of Microsoft Teams (the public cloud), where a bot's proactive messages go. */
export const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** The Teams bot's file settings; its identity and secret come from the environment. */
const teams = z
  .object({
    /** Entra object ids of the people who may confirm a cleanup from Teams. */
    allowedUsers: z.array(entraObjectId).default([]),
    /** The Teams channel (conversation id `19:…@thread.tacv2`) where cleanups confirmed in Teams are audited. */
    auditChannel: teamsChannelId.optional(),
    /** The Teams channel the bot posts alerts into, and edits them in place as they change. */
    alertChannel: teamsChannelId.optional(),
    /** The Bot Connector the bot's proactive messages go to: Teams' own unless a test points elsewhere. */
    serviceUrl: z
      .url({ protocol: /^https?$/, error: 'teams.serviceUrl must be a URL such as https://smba.trafficmanager.net/teams/' })
      // The bot's token goes with every call: in clear only to this machine (a local stand-in), never over a network.
      .refine((url) => !URL.canParse(url) || new URL(url).protocol === 'https:' || LOOPBACK_HOSTS.has(new URL(url).hostname), {
        error: 'teams.serviceUrl must use https (the bot sends its token with every call); plain http is accepted only for 127.0.0.1 or localhost',
      })
      .default(TEAMS_SERVICE_URL),
  })
  .strict()
  .default({ allowedUsers: [], serviceUrl: TEAMS_SERVICE_URL });

const cleanup = z
  .object({
    olderThanDays: z.number().int().min(1, 'cleanup must keep at least one day of test files').max(3_650, 'must be at most 3650 (ten years)').default(7),
    allowedUsers: z.array(slackUserId).default([]),
    /** Versions per DeleteObjects call; S3's maximum, 1,000, when unset. Smaller batches show progress sooner. */
    batchSize: z.number().int().min(1).max(1_000, 'S3 deletes at most 1,000 keys a call').optional(),
    /**
     * Also delete old objects under the test prefix that the test upload did not write (no
     * `s3-chatops=test` tag or not its key form). Off: a misconfigured prefix cannot cost real data.
     */
    includeUnmarked: z.boolean().default(false),
    /**
     * How soon another worker takes over a deletion whose process died: the job's lock lasts this
     * long unrenewed, and is checked for lapse as often. A live process renews it at half the time.
     */
    takeoverSeconds: z.number().int().min(5, 'must be at least 5: a live worker renews its lock at half that').max(600, 'must be at most 600 (ten minutes)').default(30),
  })
  .strict()
  .default({ olderThanDays: 7, allowedUsers: [], includeUnmarked: false, takeoverSeconds: 30 });

/** The test upload (SPEC 8): small by default; multipart through lib-storage past the part size. */
const testUpload = z
  .object({
    size: size.refine((n) => n >= 1, 'the test object needs at least 1 byte, e.g. 1KiB').default(1024),
    /** 100 MB by default, as the seed guide advises; S3 takes parts of 5 MiB to 5 GiB. */
    partSize: size
      .refine((n) => n >= 5 * 1024 * 1024, 'the part size must be at least 5MiB (S3\'s minimum part)')
      .refine((n) => n <= 5 * 1024 ** 3, 'the part size must be at most 5GiB (S3\'s largest part)')
      .default(100 * 1000 * 1000),
    deleteAfter: z.boolean().default(true),
    timeoutSeconds: z.number().min(1).max(3_600).default(120),
  })
  .strict()
  .refine((t) => t.size <= t.partSize * MAX_PARTS, { path: ['size'], message: `the test object cannot be larger than ${MAX_PARTS.toLocaleString('en')} parts of testUpload.partSize (S3's limit); raise partSize or lower size` })
  .default({ size: 1024, partSize: 100 * 1000 * 1000, deleteAfter: true, timeoutSeconds: 120 });

const budget = z
  .object({ monthlyUsd: z.number().gt(0, 'the monthly budget must be more than 0; leave budget out for none').optional() })
  .strict()
  .default({});

const costs = z
  .object({
    /** How long Cost Explorer answers are reused; its data changes only a few times a day. */
    cacheHours: z.number().min(1, 'must be at least 1: each Cost Explorer request costs USD 0.01 and its data changes a few times a day').max(24).default(6),
    /**
     * The id of an organisation's payer (management) account under `accounts`: costs are read there
     * once, for the linked accounts listed under `accounts`. Absent: each account's own Cost Explorer.
     */
    payerAccount: z.string().regex(ACCOUNT_ID, 'an AWS account id is 12 digits, e.g. 111111111111').optional(),
  })
  .strict()
  .default({ cacheHours: 6 });

const uploads = z
  .object({
    /** The most keys one `/s3 uploads` listing reads before it stops and says so. */
    scanBudget: z.number().int().positive().max(1_000_000).default(10_000),
    defaultLimit: z.number().int().min(1).max(100).default(10),
    /** The most server access-log objects one window reads (`/s3 uploads`, `/s3 errors`, the digest), newest first. */
    logObjectBudget: z.number().int().positive().max(100_000).default(500),
    /** The most bytes of log objects one window reads. */
    logByteBudget: size.default(64 * 1024 * 1024),
  })
  .strict()
  .default({ scanBudget: 10_000, defaultLimit: 10, logObjectBudget: 500, logByteBudget: 64 * 1024 * 1024 });

/** A cron of 5 fields (or 6, with seconds) that node-cron runs, at most once a minute. */
const cronSetting = z.string().superRefine((expression, ctx) => {
  const problem = cronProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const schedules = z
  .object({
    alertEvaluation: cronSetting.default('*/5 * * * *'),
    digestTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'write the digest time as HH:MM, 24-hour')
      .default('09:00'),
    timezone: z
      .string()
      .refine(isTimeZone, 'not a time zone name; use an IANA name such as Europe/London or UTC')
      .default('UTC'),
    testUpload: cronSetting.optional(),
  })
  .strict()
  .default({ alertEvaluation: '*/5 * * * *', digestTime: '09:00', timezone: 'UTC' });

const alertThresholds = z
  .object({
    'error-rate': ruleSetting(errorRateThreshold).default(() => errorRateThreshold.parse({})),
    'server-errors': ruleSetting(serverErrorsThreshold).default(() => serverErrorsThreshold.parse({})),
    latency: ruleSetting(latencyThreshold).default(() => latencyThreshold.parse({})),
    'size-quota': ruleSetting(sizeQuotaThreshold).default(() => sizeQuotaThreshold.parse({})),
    'cost-budget': ruleSetting(costBudgetThreshold).default(() => costBudgetThreshold.parse({})),
    'no-request-metrics': z.boolean().default(true),
    'test-upload': ruleSetting(testUploadThreshold).default(() => testUploadThreshold.parse({})),
    'access-denied': ruleSetting(accessDeniedThreshold).default(() => accessDeniedThreshold.parse({})),
    'config-change': ruleSetting(configChangeThreshold).default(() => configChangeThreshold.parse({})),
  })
  .strict();

const alerts = z
  .object({
    /** A firing alert is repeated in its thread this often, unless snoozed or acknowledged. */
    repeatHours: z.number().min(MIN_REPEAT_HOURS, `must be at least ${MIN_REPEAT_HOURS} (30 minutes): reminders more often flood the alert's thread`).max(168, 'must be at most 168 (a week)').default(4),
    /** Buckets per evaluation job: a tick over many buckets is split into jobs of this size. */
    bucketsPerJob: z.number().int().min(1).max(1_000).default(125),
    /** Storage metrics are daily; they are fetched at most this often. */
    storageRefreshHours: z.number().min(1, 'must be at least 1: AWS updates storage metrics once a day').max(24).default(6),
    /** Messages a second to the alert channel (Slack allows about one). */
    messagesPerSecond: z.number().min(0.1, 'must be at least 0.1 (one message every 10 s): slower, alerts queue up behind each other').max(50).default(1),
    /**
     * Rules judge the periods that ended this many minutes before the tick: CloudWatch receives
     * S3 request metrics a few minutes late, so the newest minutes would read as empty.
     */
    evaluationDelayMinutes: z.number().int().min(0).max(30).default(3),
    thresholds: alertThresholds.default(() => alertThresholds.parse({})),
  })
  .strict()
  .default(() => ({ repeatHours: 4, bucketsPerJob: 125, storageRefreshHours: 6, messagesPerSecond: 1, evaluationDelayMinutes: 3, thresholds: alertThresholds.parse({}) }));

/** The YAML file's schema. Every setting but the bucket list has a default. */
export const fileConfigSchema = z
  .object({
    buckets: z.array(bucket).min(1, 'name at least one bucket under `buckets:`'),
    accounts: z.array(account).default([]),
    channels,
    cleanup,
    teams,
    testUpload,
    budget,
    costs,
    uploads,
    schedules,
    alerts,
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of duplicateBucketIds(config)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of accountProblems(config)) ctx.addIssue({ code: 'custom', ...issue });
  }, {
    // Run even when other settings are wrong, so every problem is reported at once.
    when: (payload) => Array.isArray((payload.value as { buckets?: unknown } | undefined)?.buckets),
  });

/** A problem found outside zod's own checks, placed as zod places its issues. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Names and aliases must each pick one bucket. Reads raw input, since other checks may have failed;
 * the loader runs it on its own too, because zod skips refinements after some failures (`.int()`).
 */
export function duplicateBucketIds(config: unknown): ConfigIssue[] {
  const buckets = (config as { buckets?: unknown } | null | undefined)?.buckets;
  if (!Array.isArray(buckets)) return [];
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  buckets.forEach((entry: unknown, index) => {
    const b = (entry ?? {}) as { name?: unknown; alias?: unknown };
    for (const field of ['name', 'alias'] as const) {
      const id = b[field];
      // A bucket's alias may repeat its own name: it still picks one bucket.
      if (typeof id !== 'string' || (field === 'alias' && id === b.name)) continue;
      const first = seen.get(id);
      if (first !== undefined) {
        issues.push({ path: ['buckets', index, field], message: `"${id}" names two buckets (buckets[${first}] and buckets[${index}]); names and aliases must be unique` });
      } else seen.set(id, index);
    }
  });
  return issues;
}

/**
 * Accounts must each be listed once, with a role in that same account, and every account a bucket
 * or the payer setting names must be listed. Reads raw input, as `duplicateBucketIds` does.
 */
export function accountProblems(config: unknown): ConfigIssue[] {
  const raw = (config ?? {}) as { accounts?: unknown; buckets?: unknown; costs?: unknown };
  const accounts = Array.isArray(raw.accounts) ? (raw.accounts as unknown[]) : [];
  const issues: ConfigIssue[] = [];
  const listed = new Map<string, number>();
  let ownAccounts = 0;
  accounts.forEach((entry: unknown, index) => {
    const a = (entry ?? {}) as { id?: unknown; roleArn?: unknown };
    if (typeof a.id !== 'string') return;
    const first = listed.get(a.id);
    if (first !== undefined) issues.push({ path: ['accounts', index, 'id'], message: `account ${a.id} is listed twice (accounts[${first}] and accounts[${index}])` });
    else listed.set(a.id, index);
    if (a.roleArn === undefined) ownAccounts += 1;
    const roleAccount = typeof a.roleArn === 'string' ? /^arn:[^:]+:iam::(\d{12}):/.exec(a.roleArn)?.[1] : undefined;
    if (roleAccount !== undefined && roleAccount !== a.id) {
      issues.push({ path: ['accounts', index, 'roleArn'], message: `the role ${a.roleArn as string} is in account ${roleAccount}, not ${a.id}; name the role the bot assumes in ${a.id}` });
    }
  });
  if (ownAccounts > 1) issues.push({ path: ['accounts'], message: 'only one account may be listed without roleArn: the account of the bot\'s own credentials' });
  const buckets = Array.isArray(raw.buckets) ? (raw.buckets as unknown[]) : [];
  buckets.forEach((entry: unknown, index) => {
    const id = ((entry ?? {}) as { account?: unknown }).account;
    if (typeof id === 'string' && /^\d{12}$/.test(id) && !listed.has(id)) {
      issues.push({ path: ['buckets', index, 'account'], message: `account ${id} is not listed under \`accounts:\`; add it with the role the bot assumes there (roleArn)` });
    }
  });
  const payer = ((raw.costs ?? {}) as { payerAccount?: unknown }).payerAccount;
  if (typeof payer === 'string' && /^\d{12}$/.test(payer)) {
    if (!listed.has(payer)) issues.push({ path: ['costs', 'payerAccount'], message: `account ${payer} is not listed under \`accounts:\`; list the payer account (without roleArn if it is the bot's own)` });
    const unnamed = buckets.some((entry) => ((entry ?? {}) as { account?: unknown }).account === undefined);
    if (unnamed && ownAccounts === 0) {
      issues.push({ path: ['costs', 'payerAccount'], message: 'with a payer account, list the bot\'s own account under `accounts:` (its id, without roleArn), so the costs of its buckets are counted' });
    }
  }
  return issues;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The environment variables the bot reads (SPEC section 9). */
export const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalNonEmpty.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: optionalNonEmpty,
  SLACK_APP_TOKEN: optionalNonEmpty.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'SLACK_APP_TOKEN must be an app-level token starting with xapp-',
  }),
  SLACK_API_URL: optionalNonEmpty.refine((v) => v === undefined || URL.canParse(v), {
    message: 'SLACK_API_URL must be a URL such as https://slack.com/api/',
  }),
  AWS_REGION: optionalNonEmpty,
  AWS_DEFAULT_REGION: optionalNonEmpty,
  AWS_ENDPOINT_URL: optionalNonEmpty.refine((v) => v === undefined || URL.canParse(v), {
    message: 'AWS_ENDPOINT_URL must be a URL such as http://127.0.0.1:5000',
  }),
  REDIS_URL: optionalNonEmpty
    .refine((v) => v === undefined || /^rediss?:\/\//.test(v), {
      message: 'REDIS_URL must look like redis://host:6379',
    })
    .transform((v) => v ?? 'redis://127.0.0.1:6379'),
  PORT: optionalNonEmpty
    .transform((v) => (v === undefined ? 3000 : Number(v)))
    .refine((n) => Number.isInteger(n) && n >= 0 && n < 65536, { message: 'PORT must be a port number, 0–65535' }),
  CONFIG_FILE: optionalNonEmpty.transform((v) => v ?? 's3-chatops.yml'),
  TEAMS_WEBHOOK_URL: optionalNonEmpty.refine((v) => v === undefined || URL.canParse(v), {
    message: 'TEAMS_WEBHOOK_URL must be a URL',
  }),
  // The Teams bot (Azure Bot registration): its app id, a client secret or a certificate, its tenant.
  TEAMS_APP_ID: optionalNonEmpty,
  TEAMS_APP_PASSWORD: optionalNonEmpty,
  TEAMS_TENANT_ID: optionalNonEmpty,
  TEAMS_CERT_PEM_FILE: optionalNonEmpty,
  TEAMS_CERT_KEY_FILE: optionalNonEmpty,
  /** The Entra authority the bot's tokens come from and are checked against (its keys at …/discovery/v2.0/keys). */
  TEAMS_AUTHORITY: optionalNonEmpty.refine((v) => v === undefined || URL.canParse(v), {
    message: 'TEAMS_AUTHORITY must be a URL such as https://login.microsoftonline.com',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
});

export type FileConfig = z.output<typeof fileConfigSchema>;
export type BucketConfig = FileConfig['buckets'][number];
export type AccountConfig = FileConfig['accounts'][number];
export type TeamsFileConfig = FileConfig['teams'];
export type TestUploadConfig = FileConfig['testUpload'];
export type EnvConfig = z.output<typeof envSchema>;
export type AlertsConfig = FileConfig['alerts'];
export type AlertThresholds = AlertsConfig['thresholds'];
export type BucketThresholds = z.output<typeof bucketThresholds>;
