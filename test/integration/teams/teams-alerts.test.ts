// Alerts through the Teams bot, end to end: three worker OS processes (the real startWorker) on one
// Redis deliver to the bot's alert channel at a fake Bot Connector; the bot itself (the real
// startBot, the SDK's adapter, JWTs from a local issuer) takes the Acknowledge and Snooze presses.
// An alert fires on moto's metrics → one card is posted; each change after it (acknowledged,
// snoozed, resolved) edits that same card once and adds one line in its thread, and the Slack
// message gets each change once too. The connector answers 500 and 429 at first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertStore } from '../../../src/alerts/store.js';
import { loadConfig } from '../../../src/config/load.js';
import { ALERTS_QUEUE, KEEP_JOBS, TICK_JOB, tickJobId, type TickData } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { SLACK_DESTINATION, TEAMS_BOT_DESTINATION } from '../../../src/notify/destinations.js';
import { CONNECTOR_TOKEN, FakeConnector, testConnections, type ConnectorCall } from '../../helpers/fake-connector.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { TeamsIssuer } from '../../helpers/teams-issuer.js';
import { pressCardAction, waitUntilReady } from '../../helpers/teams-press.js';
import { elapse, waitFor } from '../../helpers/wait.js';
import { parseEvents } from '../../unit/render/teams/adaptive-sdk.js';

const CHILD = new URL('../worker/worker-child.ts', import.meta.url).pathname;
const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const ADMIN = '0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const CHANNEL = '19:alerts0channel@thread.tacv2';
const PERIOD_MS = 300_000;
/** The 5-minute periods (index from T0) whose 5xx count breaches the threshold. */
const BREACHING: [number, number] = [2, 7];

type Card = { body: unknown[]; actions?: { type: string; verb?: string }[] };

describeWithServices('alerts through the Teams bot, three workers', () => {
  let issuer: TeamsIssuer;
  let connector: FakeConnector;
  let slack: FakeSlack;
  let bot: BotHandle;
  let redis: Redis;
  let store: AlertStore;
  let alerts: Queue;
  const children: ChildProcess[] = [];
  const started = new Set<number>();
  const bucket = uniqueBucketName('tb-alerts');
  const run = `tba${Date.now()}`;
  const keyPrefix = `${run}:`;
  const id = `server-errors:${bucket}`;
  let simT0 = 0;
  let slotAt = Date.now();
  let cardId = '';

  beforeAll(async () => {
    issuer = await new TeamsIssuer(APP_ID, TENANT).start();
    connector = await new FakeConnector().start();
    slack = await startFakeSlack();
    simT0 = Math.floor((Date.now() - 4 * 3_600_000) / PERIOD_MS) * PERIOD_MS;
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    const points: RequestMetricsPoint[] = [];
    for (let period = 0; period < 14; period += 1) {
      const breaching = period >= BREACHING[0] && period <= BREACHING[1];
      for (let minute = 0; minute < 5; minute += 1) points.push({ at: new Date(simT0 + period * PERIOD_MS + minute * 60_000), AllRequests: 1000, '5xxErrors': breaching ? 3 : 0, '4xxErrors': 0 });
    }
    // Small batches: moto's form parser refuses large PutMetricData bodies.
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));

    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-tba-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(
      configFile,
      [
        'buckets:',
        `  - name: ${bucket}`,
        'channels:',
        '  alerts: C0ALERTS',
        'teams:',
        `  alertChannel: "${CHANNEL}"`,
        `  serviceUrl: ${connector.serviceUrl}`,
        `  allowedUsers: [${ADMIN}]`,
        'alerts:',
        '  messagesPerSecond: 20',
        '  thresholds:',
        '    error-rate: false',
        '    latency: false',
        '    config-change: false',
        '',
      ].join('\n'),
    );
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...awsTestEnv(),
      CONFIG_FILE: configFile,
      REDIS_URL: redisUrl(),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'teams-alerts-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_APP_ID: APP_ID,
      TEAMS_TENANT_ID: TENANT,
      TEAMS_APP_PASSWORD: 'not-used-by-the-test-connections',
      TEAMS_AUTHORITY: issuer.authority,
      LOG_LEVEL: 'info',
      PORT: '0',
      // The test queues each tick itself, judging the data at a moment it picks.
      TEST_NO_TICKS: '1',
      TEST_TEAMS_CONNECTIONS: '1',
      TEST_QUEUE_PREFIX: run,
      TEST_KEY_PREFIX: keyPrefix,
    };
    for (let i = 0; i < 3; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"worker started"')) started.add(i);
      });
      child.stderr!.on('data', () => undefined);
      children.push(child);
    }
    // The bot, in this process, from the same configuration: it takes the presses.
    const config = await loadConfig({ env, purpose: 'bot' });
    bot = await startBot(config, silentLogger(), { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: keyPrefix, teamsConnections: testConnections() });
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    store = new AlertStore(redis, { keyPrefix });
    alerts = new Queue(ALERTS_QUEUE, { connection: redis, prefix: run });
    await waitFor(() => started.size === 3, undefined, { timeoutMs: 60_000, message: 'the three workers did not start' });
    await waitUntilReady(bot.port);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((resolve) => (c.once('exit', resolve), c.kill('SIGTERM'))))));
    await bot?.stop();
    for (const name of [ALERTS_QUEUE, TEAMS_QUEUE]) {
      const queue = new Queue(name, { connection: redis, prefix: run });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await alerts?.close();
    redis?.disconnect();
    await connector?.stop();
    await issuer?.stop();
    await slack?.stop();
  }, 60_000);

  /** Queues one tick judging the data as of `period` periods after T0 (and a few minutes, for CloudWatch's delay). */
  const tick = async (period: number) => {
    slotAt += 60_000;
    const slot = new Date(slotAt);
    const data: TickData = { slot: slot.toISOString(), at: new Date(simT0 + period * PERIOD_MS + 4 * 60_000).toISOString() };
    await alerts.add(TICK_JOB, data, { ...KEEP_JOBS, jobId: tickJobId(slot) });
  };

  /** Presses a Universal Action on the alert card, as Teams sends it, through the real adapter; the card is replaced. */
  const press = async (verb: string, value: Record<string, unknown>) => {
    const body = await pressCardAction({ botPort: bot.port, serviceUrl: connector.serviceUrl, token: () => issuer.token({ serviceUrl: connector.serviceUrl }), appId: APP_ID, tenantId: TENANT, user: ADMIN, conversationId: CHANNEL, cardId }, verb, JSON.stringify(value));
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  };

  const posts = () => connector.accepted.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL);
  const edits = () => connector.accepted.filter((c) => c.method === 'PUT' && c.conversationId === CHANNEL && c.activityId === cardId);
  const threadLines = () => connector.accepted.filter((c) => c.method === 'POST' && c.conversationId === `${CHANNEL};messageid=${cardId}`);
  const cardOf = (call: ConnectorCall): Card => {
    const attachment = call.activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(parseEvents(attachment!.content)).toEqual([]);
    return attachment!.content as Card;
  };
  const meta = (c: { body: Record<string, unknown> }) => (c.body.metadata as { event_payload?: { alert_id: string; version: number } } | undefined)?.event_payload;
  const slackMain = () => slack.calls.filter((c) => (c.method === 'chat.update' || (c.method === 'chat.postMessage' && !c.body.thread_ts)) && meta(c)?.alert_id === id);

  it('posts one card when the alert fires, in the channel, as the bot, with Snooze and Acknowledge as Universal Actions, despite a 500 and a 429', async () => {
    connector.answerNext({ status: 500 }, { status: 429, retryAfterSeconds: 1 });
    await tick(BREACHING[1] + 1);
    await waitFor(() => posts().length, (n) => expect(n).toBe(1), { timeoutMs: 60_000, message: 'no alert card was posted' });
    expect(connector.calls.filter((c) => c.status === 500 || c.status === 429)).toHaveLength(2);
    const [post] = posts();
    cardId = post!.answeredId!;
    expect(post!.authorization).toBe(`Bearer ${CONNECTOR_TOKEN}`);
    const card = cardOf(post!);
    expect(JSON.stringify(card.body)).toContain(bucket);
    expect(card.actions!.every((a) => a.type === 'Action.Execute')).toBe(true);
    expect(card.actions!.map((a) => a.verb)).toEqual(['alert_snooze_1h', 'alert_snooze_4h', 'alert_snooze_24h', 'alert_acknowledge']);
  });

  it('edits that same card once per change (acknowledged, snoozed, resolved), with one thread line each, and Slack gets each change once', async () => {
    await press('alert_acknowledge', { id, episode: 1 });
    await waitFor(() => edits().length, (n) => expect(n).toBe(1), { timeoutMs: 30_000, message: 'the acknowledgement did not edit the card' });
    await press('alert_snooze_1h', { id, episode: 1, hours: 1 });
    await waitFor(() => edits().length, (n) => expect(n).toBe(2), { timeoutMs: 30_000, message: 'the snooze did not edit the card' });
    await tick(BREACHING[1] + 6);
    await waitFor(() => edits().length, (n) => expect(n).toBe(3), { timeoutMs: 60_000, message: 'the resolution did not edit the card' });
    // Everything delivered everywhere: nothing left in the bot's outbox or Slack's.
    await waitFor(async () => (await store.outbox(TEAMS_BOT_DESTINATION).pendingIds()).length + (await store.outbox(SLACK_DESTINATION).pendingIds()).length, (n) => expect(n).toBe(0), { timeoutMs: 60_000 });
    // A duplicate, if there were one, would arrive now (an absence only a wait shows).
    await elapse(1_500);

    expect(posts()).toHaveLength(1);
    const texts = edits().map((c) => JSON.stringify(cardOf(c).body));
    expect(texts[0]).toContain(`Acknowledged by Teams user ${ADMIN}`);
    expect(texts[1]).toContain('Snoozed by');
    expect(texts[2]).toContain('resolved');
    // Acknowledged: Snooze alone is left; resolved: no buttons at all.
    expect(cardOf(edits()[0]!).actions!.map((a) => a.verb)).toEqual(['alert_snooze_1h', 'alert_snooze_4h', 'alert_snooze_24h']);
    expect(cardOf(edits()[2]!).actions ?? []).toEqual([]);
    expect(threadLines().map((c) => JSON.stringify(cardOf(c).body))).toEqual([expect.stringContaining('Acknowledged by'), expect.stringContaining('Snoozed by'), expect.stringContaining('Resolved')]);
    expect(connector.accepted.every((c) => c.authorization === `Bearer ${CONNECTOR_TOKEN}`)).toBe(true);
    expect(slackMain().map((c) => `${c.method}@${meta(c)!.version}`)).toEqual(['chat.postMessage@1', 'chat.update@2', 'chat.update@3', 'chat.update@4']);
  });
}, ['moto', 'redis']);
