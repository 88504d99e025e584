import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ForBucket } from '../aws/fleet.js';
import type { AwsPorts, BucketFacts } from '../aws/ports.js';
import { ConfigError, type Config } from '../config/load.js';
import { redactText } from '../config/redact.js';
import type { BucketConfig } from '../config/schema.js';
import { userMessageOf } from '../lib/errors.js';
import { checkWebhookShape } from '../notify/teams-url.js';
import { checkAccessLog, checkCloudTrail, checkCostExplorer, checkTestPrefix, lost, type CheckResult } from './doctor-features.js';
import { checkTeamsBot } from './doctor-teams.js';
import type { SlackIdentity } from './probes.js';
import { nodeVersionCheck } from './sdk-warning.js';

export type { CheckResult };

/** What the doctor talks to, injected so tests can stand in for AWS, Slack and Redis. */
export interface DoctorDeps {
  env: Record<string, string | undefined>;
  loadConfig: () => Promise<Config>;
  createPorts: (config: Config) => Promise<AwsPorts>;
  /** The S3 client the test upload and cleanup use (one client, or each bucket's own), for the write, tag and delete checks under each test prefix. */
  createS3?: (config: Config) => S3Client | S3ForBucket;
  /** The accounts' and regions' checks (`doctor-accounts.ts`); absent: not checked. */
  checkFleet?: (config: Config) => Promise<CheckResult[]>;
  slackAuthTest: (token: string, apiUrl?: string) => Promise<SlackIdentity>;
  redisPing: (url: string) => Promise<void>;
  now: () => Date;
  /** The running Node.js version (`process.version`); tests set it. */
  nodeVersion?: string;
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Checks the configuration, every permission each feature needs (each bucket's settings, listing,
 * metrics, access log and test prefix; Cost Explorer; CloudTrail), Slack `auth.test`, Redis, and the Teams
 * webhook's shape.
 */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let config: Config | undefined;
  try {
    config = await deps.loadConfig();
    results.push({
      name: 'configuration',
      status: 'ok',
      detail: `${config.configFile}: ${config.buckets.length} bucket${config.buckets.length === 1 ? '' : 's'}, region ${config.region}`,
    });
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
    for (const problem of problems) results.push({ name: 'configuration', status: 'fail', detail: problem });
  }

  if (config) {
    let ports: AwsPorts | undefined;
    try {
      ports = await deps.createPorts(config);
    } catch (error) {
      results.push({ name: 'aws', status: 'fail', detail: userMessageOf(error) });
    }
    if (deps.checkFleet) results.push(...(await deps.checkFleet(config)));
    if (ports) {
      const s3 = deps.createS3?.(config);
      for (const bucket of config.buckets) {
        const client = typeof s3 === 'function' ? await s3(bucket.name) : s3;
        results.push(...(await checkBucket(bucket, ports, client, deps.now())));
      }
      results.push(await checkCostExplorer(ports, deps.now()));
      results.push(await checkCloudTrail(ports, config.buckets[0], deps.now()));
    }
  } else {
    results.push({ name: 'buckets', status: 'skip', detail: 'not checked until the configuration loads' });
  }

  results.push(nodeVersionCheck(deps.nodeVersion ?? process.version));
  results.push(await checkSlack(deps, config));
  results.push(await checkRedis(deps, config));
  // Only the shape: posting would put a card in the channel (`teams test` does that on purpose).
  results.push({ name: 'teams', ...checkWebhookShape(config?.env.TEAMS_WEBHOOK_URL ?? deps.env.TEAMS_WEBHOOK_URL) });
  results.push(checkTeamsBot(config));
  return results;
}

/** Reads each fact, a listing, a metric, the access log and the test prefix of one bucket, naming any permission that is missing. */
async function checkBucket(bucket: BucketConfig, ports: AwsPorts, s3: S3Client | undefined, now: Date): Promise<CheckResult[]> {
  const label = bucket.alias ? `${bucket.alias} (${bucket.name})` : bucket.name;
  const results: CheckResult[] = [];
  let facts: BucketFacts | undefined;
  try {
    facts = await ports.facts.getFacts(bucket.name);
    if (bucket.region && facts.region && facts.region !== bucket.region) {
      results.push({ name: `bucket ${label}: region`, status: 'fail', detail: `configured as ${bucket.region}, but the bucket is in ${facts.region}; correct buckets[].region (its metrics and links are read in the wrong region)` });
    }
    if (facts.problems.length === 0) {
      results.push({ name: `bucket ${label}: settings`, status: 'ok', detail: `every setting readable, region ${facts.region ?? 'us-east-1'}` });
    } else {
      for (const problem of facts.problems) {
        results.push({ name: `bucket ${label}: ${problem.fact}`, status: 'fail', detail: lost(problem.message, 'settings') });
      }
    }
  } catch (error) {
    results.push({ name: `bucket ${label}: settings`, status: 'fail', detail: lost(userMessageOf(error), 'settings') });
  }
  try {
    await ports.listing.listNewest(bucket.name, { limit: 1, scanBudget: 1 });
    results.push({ name: `bucket ${label}: objects`, status: 'ok', detail: 'listing works' });
  } catch (error) {
    results.push({ name: `bucket ${label}: objects`, status: 'fail', detail: lost(userMessageOf(error), 'listing') });
  }
  try {
    const end = now;
    const start = new Date(end.getTime() - 2 * 86_400_000);
    await ports.metrics.getMetricData(
      [
        {
          id: 'size',
          namespace: 'AWS/S3',
          metricName: 'BucketSizeBytes',
          dimensions: [
            { name: 'BucketName', value: bucket.name },
            { name: 'StorageType', value: 'StandardStorage' },
          ],
          stat: 'Average',
          periodSeconds: 86_400,
        },
      ],
      { start, end },
    );
    results.push({ name: `bucket ${label}: metrics`, status: 'ok', detail: 'CloudWatch metrics readable' });
  } catch (error) {
    results.push({ name: `bucket ${label}: metrics`, status: 'fail', detail: lost(userMessageOf(error), 'metrics') });
  }
  results.push(await checkAccessLog(ports, facts, label));
  if (s3) results.push(...(await checkTestPrefix(s3, bucket, label, now)));
  else results.push({ name: `bucket ${label}: test prefix`, status: 'skip', detail: 'no S3 client for the test prefix here' });
  return results;
}

async function checkSlack(deps: DoctorDeps, config: Config | undefined): Promise<CheckResult> {
  const token = config?.slack.botToken ?? deps.env.SLACK_BOT_TOKEN?.trim();
  const apiUrl = config?.slack.apiUrl ?? deps.env.SLACK_API_URL?.trim();
  if (!token) {
    return { name: 'slack', status: 'skip', detail: 'SLACK_BOT_TOKEN is not set; `start` needs it (the command line does not)' };
  }
  try {
    const who = await deps.slackAuthTest(token, apiUrl || undefined);
    return { name: 'slack', status: 'ok', detail: `auth.test: ${who.user ?? 'the bot'} in ${who.team ?? 'its workspace'}` };
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    const detail = slackError
      ? `auth.test answered ${slackError}; copy the Bot User OAuth Token (xoxb-…) from your Slack app again`
      : `the Slack API${apiUrl ? ` at ${apiUrl}` : ''} did not answer (${(error as Error).message}); check the network or SLACK_API_URL`;
    return { name: 'slack', status: 'fail', detail: redactText(detail, [token]) };
  }
}

async function checkRedis(deps: DoctorDeps, config: Config | undefined): Promise<CheckResult> {
  const url = config?.env.REDIS_URL ?? (deps.env.REDIS_URL?.trim() || DEFAULT_REDIS_URL);
  const shown = redactText(url);
  try {
    await deps.redisPing(url);
    return { name: 'redis', status: 'ok', detail: `PING answered at ${shown}` };
  } catch (error) {
    return {
      name: 'redis',
      status: 'fail',
      detail: `no answer at ${shown} (${redactText((error as Error).message)}); start Redis or set REDIS_URL – the bot needs it, and \`costs\` uses it as its cache`,
    };
  }
}

/** One line per check: `ok`, `FAIL` or `skip`, what was checked, and what was found. */
export function formatChecks(results: readonly CheckResult[]): string {
  const tag = { ok: 'ok  ', fail: 'FAIL', skip: 'skip' } as const;
  return results.map((r) => `${tag[r.status]}  ${r.name}: ${r.detail}`).join('\n');
}
