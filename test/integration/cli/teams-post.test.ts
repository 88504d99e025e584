// `alerts evaluate --post` and `digest --post` with TEAMS_WEBHOOK_URL set, as a person runs them:
// through runCli in process (the first run as a child of the build), against moto, Redis, the fake Slack Web API and the fake Teams webhook.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { startTeamsDelivery } from '../../../src/jobs/teams-worker.js';
import { AlertStore } from '../../../src/alerts/store.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams, type ReceivedCard } from '../../helpers/fake-teams.js';
import { createBucket, putObjects, putRequestMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { parseEvents } from '../../unit/render/teams/adaptive-sdk.js';
import { runCliInProcess, runCliProcess } from './run.js';

const SIG = 'Y2xpLXRlYW1zLXBvc3Qtc2lnbmF0dXJlLW9mLXRoZS13ZWJob29r';

const content = (card: ReceivedCard): unknown => card.body.attachments?.[0]?.content;
const mentions = (bucket: string) => (card: ReceivedCard) => JSON.stringify(card.body).includes(bucket);

describeWithServices('the command line posts to Teams as well when TEAMS_WEBHOOK_URL is set', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let dir: string;
  let base: Record<string, string>;

  /** A bucket whose server errors fire the server-errors rule on the next evaluation. */
  async function failingBucket(prefix: string): Promise<string> {
    const name = uniqueBucketName(prefix);
    await createBucket(name, { metricsConfigIds: ['EntireBucket'] });
    const now = Date.now();
    const points = Array.from({ length: 16 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 500, '5xxErrors': 5 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(name, 'EntireBucket', points.slice(i, i + 8));
    return name;
  }

  function configFor(bucket: string, extra = 'channels:\n  alerts: C0ALERTS\n  digest: C0DIGEST\n'): string {
    const file = join(dir, `${bucket}.yml`);
    writeFileSync(file, `buckets:\n  - name: ${bucket}\n    alias: docs\n${extra}`);
    return file;
  }

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-teams-'));
    base = { ...awsTestEnv(), REDIS_URL: redisUrl(), SLACK_BOT_TOKEN: 'xoxb-cli-teams', SLACK_API_URL: slack.apiUrl, TEAMS_WEBHOOK_URL: teams.url(SIG) };
  });

  afterAll(async () => {
    await slack?.stop();
    await teams?.stop();
  });

  it('alerts evaluate --post: the firing alert reaches Slack once and Teams once, as a card the SDK parses', async () => {
    const bucket = await failingBucket('cli-teams');
    const env = { ...base, CONFIG_FILE: configFor(bucket), LOG_LEVEL: 'info' };
    // A child: the process ends once the Slack message and the Teams card are out.
    const first = await runCliProcess(['alerts', 'evaluate', '--post'], env);
    expect(first.stderr).not.toContain('unexpected error');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1 card posted to Teams');
    const cards = teams.accepted.filter(mentions(bucket));
    expect(cards).toHaveLength(1);
    expect(parseEvents(content(cards[0]!))).toEqual([]);
    expect(JSON.stringify(cards[0]!.body)).toContain('Firing: server-errors on docs');
    expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(bucket))).toHaveLength(1);
    // Logging at info, the webhook's secret still shows nowhere.
    expect(first.stderr + first.stdout).not.toContain(SIG);

    // Nothing changed: nothing more goes to either.
    const again = await runCliInProcess(['alerts', 'evaluate', '--post'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 cards posted to Teams');
    expect(teams.accepted.filter(mentions(bucket))).toHaveLength(1);
  });

  it('alerts evaluate --post: 429 with Retry-After, then 500, and the card still arrives once', async () => {
    const bucket = await failingBucket('cli-teams-429');
    teams.answerNext({ status: 429, retryAfterSeconds: 1 }, { status: 500 });
    const before = teams.received.length;
    const run = await runCliInProcess(['alerts', 'evaluate', '--post'], { ...base, CONFIG_FILE: configFor(bucket) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 card posted to Teams');
    expect(teams.received.slice(before).map((r) => r.status)).toEqual([429, 500, 202]);
    expect(teams.accepted.filter(mentions(bucket))).toHaveLength(1);
  });

  it('alerts evaluate --post: a webhook that refuses leaves the card on the Teams queue, exit 1, and a worker sends it once', async () => {
    const bucket = await failingBucket('cli-teams-401');
    teams.answerNext({ status: 401, body: 'DirectApiAuthorizationRequired' });
    const run = await runCliInProcess(['alerts', 'evaluate', '--post'], { ...base, CONFIG_FILE: configFor(bucket) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('did not reach Teams (the Teams webhook answered 401');
    expect(run.stderr).toContain('wait on the Teams queue');
    expect(run.stderr).not.toContain(SIG);
    // Slack has it regardless.
    expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(bucket))).toHaveLength(1);
    expect(teams.accepted.filter(mentions(bucket))).toHaveLength(0);

    const id = `server-errors:${bucket}`;
    const jobId = `teams-${id.replace(/[^A-Za-z0-9._-]/g, '_')}-1`;
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(TEAMS_QUEUE, { connection });
    try {
      expect(await queue.getJob(jobId)).toBeDefined();
      // The worker's Teams delivery, as `start` runs it with TEAMS_WEBHOOK_URL set.
      const delivery = startTeamsDelivery({ webhookUrl: teams.url(SIG), outbox: new AlertStore(connection).outbox('teams'), workerConnection: connection, producerConnection: connection, storeConnection: connection, message: { region: 'us-east-1' }, logger: silentLogger() });
      try {
        await expect.poll(() => teams.accepted.filter(mentions(bucket)).length, { timeout: 20_000 }).toBe(1);
        await expect.poll(async () => (await queue.getJob(jobId))?.finishedOn !== undefined, { timeout: 10_000 }).toBe(true);
      } finally {
        await delivery.close();
      }
      expect(teams.accepted.filter(mentions(bucket))).toHaveLength(1);
    } finally {
      await queue.getJob(jobId).then((job) => job?.remove()).catch(() => undefined);
      await queue.close();
      connection.disconnect();
    }
  });

  it('digest --post: the digest goes to Slack and, as one card the SDK parses, to Teams', async () => {
    const bucket = uniqueBucketName('cli-teams-digest');
    await createBucket(bucket, { versioning: 'Enabled', publicAccessBlock: true });
    await putObjects(bucket, [{ key: 'reports/provider-payment_2026-11.pdf', size: 2_048, ageDays: 0.5 }]);
    slack.reset();
    teams.answerNext({ status: 503, retryAfterSeconds: 1 });
    const run = await runCliInProcess(['digest', '--post'], { ...base, CONFIG_FILE: configFor(bucket) });
    expect(run.stderr).not.toMatch(/s3-chatops:|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Posted the digest for \d{4}-\d\d-\d\d to C0DIGEST/m);
    expect(run.stdout).toContain('Posted the digest card to Teams; Teams answered 202.');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    const cards = teams.accepted.filter(mentions(bucket));
    expect(cards).toHaveLength(1);
    expect(parseEvents(content(cards[0]!))).toEqual([]);
    expect(JSON.stringify(cards[0]!.body)).toContain('S3 daily digest');
  });

  it('digest --post with Teams alone (no channels.digest, no SLACK_BOT_TOKEN): the card goes to Teams, nothing to Slack', async () => {
    const bucket = uniqueBucketName('cli-teams-only');
    await createBucket(bucket, {});
    slack.reset();
    const { SLACK_BOT_TOKEN: _token, ...withoutSlack } = base;
    const run = await runCliInProcess(['digest', '--post'], { ...withoutSlack, CONFIG_FILE: configFor(bucket, '') });
    expect(run.stderr).not.toMatch(/s3-chatops:|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Posted the digest card to Teams; Teams answered 202.');
    expect(run.stdout).not.toContain('Posted the digest for');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    expect(teams.accepted.filter(mentions(bucket))).toHaveLength(1);
  });

  it('digest --post: when Teams refuses, Slack still has the digest and the command exits 1 saying why', async () => {
    const bucket = uniqueBucketName('cli-teams-digest-404');
    await createBucket(bucket, {});
    slack.reset();
    teams.answerNext({ status: 404, body: 'WorkflowNotFound' });
    const run = await runCliInProcess(['digest', '--post'], { ...base, CONFIG_FILE: configFor(bucket) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Posted the digest for \d{4}-\d\d-\d\d to C0DIGEST/m);
    expect(run.stderr).toContain('the digest card did not reach Teams: the Teams webhook answered 404: WorkflowNotFound');
    expect(run.stderr).not.toContain(SIG);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(teams.accepted.filter(mentions(bucket))).toHaveLength(0);
  });
}, ['moto', 'redis']);
