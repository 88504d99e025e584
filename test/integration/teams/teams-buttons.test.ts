// Acknowledge and Snooze, pressed as signed block_actions on the real bot, reach Teams as soon as
// they are committed, even when no Slack delivery happens at all (Slack down, its delivery jobs
// waiting): only the Teams queue's worker runs here, and the Slack outbox keeps both changes for later.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertState } from '../../../src/alerts/types.js';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startTeamsDelivery, type TeamsDelivery } from '../../../src/jobs/teams-worker.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { alertCardKey, startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { waitUntilReady } from '../../helpers/teams-press.js';
import { pressButton } from '../actions/bot.js';

const SECRET = 'test-signing-secret-teams-buttons';

describeWithServices('alert buttons to Teams', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let bot: BotHandle;
  let delivery: TeamsDelivery;
  const connections: Redis[] = [];
  const run = `tbtn${Date.now()}`;
  const bucket = `teams-buttons-${Date.now()}`;
  const id = `server-errors:${bucket}`;
  let store: AlertStore;

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0', TEAMS_WEBHOOK_URL: teams.url('dGVhbXMtYnV0dG9ucw') });
    const file = fileConfigSchema.parse({ buckets: [{ name: bucket, alias: 'docs' }], channels: { alerts: 'C0ALERTS' }, alerts: { thresholds: { 'error-rate': false, latency: false } } });
    const config: Config = { ...file, env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: SECRET, apiUrl: slack.apiUrl } };
    const logger = process.env.TB_DEBUG ? (await import('../../../src/lib/logger.js')).createLogger({ level: 'debug', destination: process.stderr }) : silentLogger();
    const [worker, producer, storeConnection] = [new Redis(redisUrl(), { maxRetriesPerRequest: null }), new Redis(redisUrl()), new Redis(redisUrl(), { maxRetriesPerRequest: null })];
    connections.push(worker, producer, storeConnection);
    store = new AlertStore(storeConnection, { keyPrefix: `${run}:` });
    // A firing alert whose message went out earlier; no Slack delivery runs from here on.
    const at = new Date();
    const firing: AlertState = { ...initialState({ rule: 'server-errors', bucket }, 'critical', at), status: 'firing', version: 1, episode: 1, since: at.toISOString(), lastNotifiedAt: at.toISOString(), value: 12, threshold: 10, finding: { rule: 'server-errors', count: 12, threshold: 10, periodMinutes: 5, periods: 1 }, recent: [3, 12] };
    expect(await store.commit([{ expectedVersion: 0, state: firing, events: [] }])).toBe('ok');
    bot = await startBot(config, logger, { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:` });
    delivery = startTeamsDelivery({ webhookUrl: env.TEAMS_WEBHOOK_URL!, outbox: store.outbox('teams'), workerConnection: worker, producerConnection: producer, storeConnection, queuePrefix: run, keyPrefix: `${run}:`, message: { region: 'us-east-1' }, logger });
  });

  afterAll(async () => {
    await delivery?.close();
    await bot?.stop();
    const notify = new Queue(NOTIFY_QUEUE, { connection: connections[1]!, prefix: run });
    await notify.obliterate({ force: true }).catch(() => undefined);
    await notify.close();
    for (const c of connections) c.disconnect();
    await teams?.stop();
    await slack?.stop();
  });

  const press = (actionId: string, value: string, user: string) => pressButton(`http://127.0.0.1:${bot.port}/slack/events`, slack, actionId, value, { user, signingSecret: SECRET });

  it('sends the Acknowledged and Snoozed cards to Teams while Slack has delivered neither', async () => {
    // The bot's Redis fails fast until connected: press once it says it is ready.
    await waitUntilReady(bot.port);
    expect((await press('alert_acknowledge', JSON.stringify({ id, episode: 1 }), 'U0ACK')).status).toBe(200);
    expect((await press('alert_snooze_4h', JSON.stringify({ id, episode: 1, hours: 4 }), 'U0SNOOZE')).status).toBe(200);
    const cards = () => teams.accepted.map(alertCardKey).filter((k) => k.startsWith(`${id}@`));
    await expect.poll(cards, { timeout: 30_000, interval: 250 }).toEqual([`${id}@2`, `${id}@3`]);
    const text = teams.accepted.map((c) => JSON.stringify(c.body)).join('\n');
    expect(text).toContain('Acknowledged');
    expect(text).toContain('Snoozed');
    // Slack saw no alert call; both changes wait in its outbox for Slack's delivery.
    expect(slack.calls.filter((c) => c.method === 'chat.update' || (c.method === 'chat.postMessage' && c.body.metadata))).toEqual([]);
    expect(await store.outbox('slack').pendingIds()).toContain(id);
    expect((await store.outbox('slack').next(id))?.version).toBe(2);
    // Teams' outbox, filled by the same commit, is empty: each card left it as it went out.
    expect(await store.outbox('teams').pendingIds()).not.toContain(id);
  });
}, ['redis']);
