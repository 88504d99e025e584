/**
 * `s3-chatops digest [--post] [--json]`: the daily digest in the terminal (the channel message,
 * then each thread reply), its data with `--json`, or posted to `channels.digest` with `--post`
 * through the same job code the worker runs (and, with TEAMS_WEBHOOK_URL set, to Teams as one card).
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import { redactText } from '../config/redact.js';
import { escapeTerminal } from '../render/text/index.js';
import type { DigestPoster } from '../jobs/digest-poster.js';
import type { Logger } from '../lib/logger.js';
import { digestDayAt, makeDigest } from '../reports/digest/make.js';
import type { DigestReport } from '../reports/digest/types.js';
import { renderThreadText } from '../render/text/thread.js';
import type { DigestSources } from '../reports/digest/types.js';
import { digestSources } from '../alerts/digest-source.js';
import { AlertStore } from '../alerts/store.js';
import type { PortsHandle, PortsOptions } from './ports.js';
import { parseCliArgs } from './args.js';
import { badUsage, DIGEST_USAGE } from './usage.js';

interface Output {
  write(chunk: string): unknown;
}

/** What the digest command needs from the command line's composition root. */
export interface DigestCliDeps {
  stdout: Output;
  stderr: Output;
  now: () => Date;
  logger: Logger;
  color: boolean;
  loadConfig: () => Promise<Config>;
  createPorts: (config: Config, options: PortsOptions) => Promise<PortsHandle>;
  connectRedis: (url: string) => Promise<Redis>;
  /** The poster for `--post`; by default Slack's Web API with SLACK_BOT_TOKEN at SLACK_API_URL. */
  createPoster?: (config: Config) => DigestPoster;
}

/** Runs `digest`; returns the exit status (0 done, 1 a failure it explains, 2 bad usage). */
export async function runDigestCli(args: readonly string[], deps: DigestCliDeps): Promise<number> {
  const parsed = parseCliArgs('digest', args, { post: { type: 'boolean' }, json: { type: 'boolean' } });
  if ('problem' in parsed) {
    deps.stderr.write(badUsage(parsed.problem, DIGEST_USAGE));
    return 2;
  }
  const post = parsed.values.post === true;
  const json = parsed.values.json === true;
  if (post && json) {
    deps.stderr.write(badUsage('`--post` and `--json` do not go together', DIGEST_USAGE));
    return 2;
  }

  const config = await deps.loadConfig();
  // Slack when channels.digest names a channel, or when there is no Teams webhook to post to instead.
  const teamsOnly = config.env.TEAMS_WEBHOOK_URL !== undefined && config.channels.digest === undefined;
  if (post && !teamsOnly) {
    const problems = [
      config.slack.botToken ? '' : 'SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token (xoxb-…) from your Slack app',
      config.channels.digest ? '' : `channels.digest is not set in ${config.configFile}; name the Slack channel id the digest goes to (or set TEAMS_WEBHOOK_URL to post it to Teams alone)`,
    ].filter(Boolean);
    if (problems.length > 0) {
      deps.stderr.write(`s3-chatops: cannot post the digest:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    }
  }

  // The cost cache lives in Redis; without it Cost Explorer is asked directly, which is billed.
  let redis: Redis | undefined;
  try {
    redis = await deps.connectRedis(config.env.REDIS_URL);
  } catch (error) {
    deps.stderr.write(
      `note: Redis at ${redactText(config.env.REDIS_URL)} did not answer (${escapeTerminal(redactText((error as Error).message))}); asking Cost Explorer without the cache (each request is billed), and without the alert history and test-upload results the worker keeps there\n`,
    );
  }
  let handle: PortsHandle | undefined;
  try {
    handle = await deps.createPorts(config, { logger: deps.logger, now: deps.now, ...(redis ? { redis } : {}) });
    const now = deps.now();
    const day = digestDayAt(now, config.schedules.timezone);
    const sources = redis ? await workerSources(redis, config) : {};
    if (post) {
      // Loaded only to post, so printing the digest (and every other command) never loads Slack's client or BullMQ.
      const [{ processDigestJob }, { MemoryDigestLedger }, { SlackDigestPoster }] = await Promise.all([
        import('../jobs/digest-job.js'),
        import('../jobs/digest-ledger.js'),
        import('../jobs/digest-poster.js'),
      ]);
      const poster: DigestPoster = deps.createPoster
        ? deps.createPoster(config)
        : teamsOnly
          ? { post: () => Promise.reject(new Error('the digest has no Slack channel to go to')) }
          : new SlackDigestPoster({ token: config.slack.botToken!, ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) });
      // With TEAMS_WEBHOOK_URL set the same digest goes to Teams as one card, posted after Slack so Teams never holds Slack back.
      const teamsUrl = config.env.TEAMS_WEBHOOK_URL;
      let forTeams: DigestReport | undefined;
      // A ledger of its own: a digest asked for by hand is posted each time it is asked for.
      const slack = await processDigestJob(
        { config, aws: handle.ports, poster, ledger: new MemoryDigestLedger(), now: () => now, logger: deps.logger, sources, ...(teamsUrl ? { teams: { digest: async (_slot: string, report: DigestReport) => void (forTeams = report) } } : {}) },
        { slot: day },
      ).then((result) => ({ result }), (error: unknown) => ({ error }));
      // An empty channel: channels.digest is not set and the digest went to Teams alone.
      if ('result' in slack && slack.result.channel) {
        const { result } = slack;
        deps.stdout.write(`Posted the digest for ${day} to ${result.channel} (ts ${result.mainTs}) with ${result.replies} thread repl${result.replies === 1 ? 'y' : 'ies'}.\n`);
      }
      const teamsOk = teamsUrl && forTeams ? await postDigestToTeams(teamsUrl, forTeams, deps) : true;
      if ('error' in slack) throw slack.error;
      return teamsOk ? 0 : 1;
    }
    const { data, report } = await makeDigest(handle.ports, config, { now, day, sources });
    deps.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : renderThreadText(report, { color: deps.color }));
    return 0;
  } finally {
    handle?.close?.();
    redis?.disconnect();
  }
}

/** Posts the digest card to Teams with the command line's retries; says what Teams answered, or why it did not take it. */
async function postDigestToTeams(url: string, report: DigestReport, deps: DigestCliDeps): Promise<boolean> {
  const { postTeamsDigestNow } = await import('../notify/teams-now.js');
  try {
    const answer = await postTeamsDigestNow({ url, report, logger: deps.logger });
    deps.stdout.write(`Posted the digest card to Teams; Teams answered ${answer.status}.\n`);
    return true;
  } catch (error) {
    // The webhook's own errors never hold its URL; redactText covers anything else that might.
    deps.stderr.write(`s3-chatops: the digest card did not reach Teams: ${escapeTerminal(redactText((error as Error).message ?? String(error), [url]))}\n`);
    return false;
  }
}

/** The worker's alert states and scheduled-upload results, as the scheduled digest reads them. */
async function workerSources(redis: Redis, config: Config): Promise<DigestSources> {
  const alerts = new AlertStore(redis);
  if (!config.schedules.testUpload) return digestSources({ alerts });
  // The upload history is read from BullMQ, loaded only where uploads are scheduled.
  const { scheduledTestUploadSource } = await import('../jobs/test-upload-history.js');
  return digestSources({ alerts, testUploads: scheduledTestUploadSource(config, { connection: redis }) });
}
