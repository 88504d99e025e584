// A cleanup confirmed in Teams, end to end: the Delete press goes through the real bot (the SDK's
// adapter, a JWT from the local issuer), the worker's cleanup role deletes from moto, and the card
// Delete was pressed on is edited in place through the fake Bot Connector, as the bot: progress,
// then the summary. An edit Teams refuses is logged and the deletion goes on.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { startCleanupRole } from '../../../src/jobs/cleanup-worker.js';
import { NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { CONNECTOR_TOKEN, FakeConnector, testConnections, type ConnectorCall } from '../../helpers/fake-connector.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { TeamsIssuer } from '../../helpers/teams-issuer.js';
import { pressCardAction, waitUntilReady, type InvokeBody } from '../../helpers/teams-press.js';
import { waitFor } from '../../helpers/wait.js';
import { parseEvents } from '../../unit/render/teams/adaptive-sdk.js';
import { seedCleanupBucket, type CleanupSeed } from '../actions/seed-cleanup.js';

const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const ADMIN = '0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const THREAD = '19:ops0channel@thread.tacv2;messageid=1700000000000';
const CARD = 'preview-card-1';

/** The invoke body of a press on the preview card: the card that replaces it. */
type PreviewInvoke = InvokeBody & { value: { body: unknown[]; actions?: { type: string; verb?: string; card?: { actions: { verb: string; data: { value: string } }[] } }[] } };

describeWithServices('a cleanup confirmed in Teams', () => {
  let issuer: TeamsIssuer;
  let connector: FakeConnector;
  let slack: FakeSlack;
  let bot: BotHandle;
  let cleanup: ReturnType<typeof startCleanupRole>;
  let seed: CleanupSeed;
  let redis: Redis;
  const run = `tcl${Date.now()}`;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    // The bot's and the worker's AWS clients read their credentials from the process environment, as in production.
    Object.assign(process.env, awsTestEnv());
    issuer = await new TeamsIssuer(APP_ID, TENANT).start();
    connector = await new FakeConnector().start();
    slack = await startFakeSlack();
    seed = await seedCleanupBucket('teams-clean', { old: 3, recent: 1, outside: 1 });
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'teams-cleanup-signing-secret', SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0' });
    // One version per DeleteObjects call: several batches, so progress shows before the summary.
    const file = fileConfigSchema.parse({ buckets: [{ name: seed.bucket, alias: 'docs' }], teams: { allowedUsers: [ADMIN] }, cleanup: { batchSize: 1 } });
    const config: Config = {
      ...file,
      env,
      region: 'us-east-1',
      configFile: 'test.yml',
      slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: slack.apiUrl },
      teamsBot: { appId: APP_ID, tenantId: TENANT, password: 'not-used-by-the-test-connections', authority: issuer.authority },
    };
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    bot = await startBot(config, silentLogger(), { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:`, teamsConnections: testConnections() });
    cleanup = startCleanupRole({ config, logger: silentLogger(), connection: redis, prefix: run, teamsConnections: testConnections() });
    await waitUntilReady(bot.port);
  });

  afterAll(async () => {
    process.env = savedEnv;
    await cleanup?.close();
    await bot?.stop();
    for (const name of [NOTIFY_QUEUE, CLEANUP_QUEUE]) {
      const queue = new Queue(name, { connection: redis, prefix: run });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    redis?.disconnect();
    await connector?.stop();
    await issuer?.stop();
    await slack?.stop();
  });

  /** Presses a Universal Action on the preview card in the channel thread; returns the invoke response body. */
  const press = async (verb: string, value: string): Promise<PreviewInvoke> =>
    (await pressCardAction({ botPort: bot.port, serviceUrl: connector.serviceUrl, token: () => issuer.token({ serviceUrl: connector.serviceUrl }), appId: APP_ID, tenantId: TENANT, user: ADMIN, conversationId: THREAD, cardId: CARD }, verb, value)) as PreviewInvoke;

  const textOf = (call: ConnectorCall) => {
    const attachment = call.activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(parseEvents(attachment!.content)).toEqual([]);
    return JSON.stringify((attachment!.content as { body: unknown[] }).body);
  };

  it('edits the card Delete was pressed on with the progress, then the summary, even after an edit Teams refused', async () => {
    const preview = await press('cleanup_preview', seed.bucket);
    const ticket = preview.value.actions!.find((a) => a.type === 'Action.ShowCard')!.card!.actions[0]!.data.value;
    // Teams refuses the first edit (the first batch's progress): the deletion goes on regardless.
    connector.answerNext({ status: 500 });
    const confirmed = await press('cleanup_confirm', ticket);
    expect(JSON.stringify(confirmed.value.body)).toContain('this card shows its progress, then its summary');

    const edits = () => connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === THREAD && c.activityId === CARD);
    await waitFor(() => edits().filter((c) => c.status === 200).map(textOf).join('\n'), (text) => expect(text).toContain('Cleaned up'), { timeoutMs: 30_000, message: 'the card never showed the summary' });
    const all = edits();
    expect(all[0]!.status).toBe(500);
    expect(textOf(all[0]!)).toContain('Deleting old test files from docs');
    // Progress first (each batch's, at most one edit every few seconds), the summary last and once.
    expect(all.slice(0, -1).every((c) => textOf(c).includes('Deleting old test files from docs'))).toBe(true);
    const summary = textOf(all.at(-1)!);
    expect(summary).toContain(`Cleaned up docs (${seed.bucket}): ${seed.oldVersions} versions deleted`);
    expect(summary).toContain(`Teams user ${ADMIN}`);
    expect(all.every((c) => c.authorization === `Bearer ${CONNECTOR_TOKEN}`)).toBe(true);
    // The job is marked completed just after its summary edit.
    const queue = new Queue(CLEANUP_QUEUE, { connection: redis, prefix: run });
    const [job] = await waitFor(() => queue.getJobs(['completed']), (jobs) => expect(jobs).toHaveLength(1), { timeoutMs: 20_000 });
    await queue.close();
    expect(job!.returnvalue).toMatchObject({ deleted: seed.oldVersions, done: true });
  }, 60_000);
}, ['moto', 'redis']);
