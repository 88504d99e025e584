// The Teams bot end to end: the real composition root (startBot) with the Microsoft 365 Agents
// SDK's adapter at POST /api/messages, activities carrying JWTs signed by a local issuer whose keys
// the SDK fetches from the issuer's JWKS endpoint, replies captured by a fake Bot Connector at the
// activity's serviceUrl, AWS in moto and state in the real Redis.
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEANUP_QUEUE } from '../../../src/jobs/cleanup-job.js';
import { initialState } from '../../../src/alerts/state-machine.js';
import { AlertStore } from '../../../src/alerts/store.js';
import type { AlertState } from '../../../src/alerts/types.js';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { NOTIFY_QUEUE } from '../../../src/jobs/queues.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { CONNECTOR_TOKEN, FakeConnector, testConnections, type ConnectorCall } from '../../helpers/fake-connector.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { putObjects } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { strangerKey, TeamsIssuer, type TokenOptions } from '../../helpers/teams-issuer.js';
import { waitUntilReady } from '../../helpers/teams-press.js';
import { parseEvents } from '../../unit/render/teams/adaptive-sdk.js';
import { seedCleanupBucket, type CleanupSeed } from '../actions/seed-cleanup.js';

const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const ADMIN = '0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const STRANGER = '11111111-2222-4333-8444-555555555555';
const AUDIT = '19:audit0channel@thread.tacv2';
const CHANNEL = '19:ops0channel@thread.tacv2';
const hostile = JSON.parse(readFileSync(new URL('../../fixtures/hostile/values.json', import.meta.url), 'utf8')) as { name: string; value: string; visible: string }[];
const HOSTILE_KEY = `uploads/${hostile[0]!.value.replace(/[\r\n]/g, ' ')}`;

interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

describeWithServices('Teams bot', () => {
  let issuer: TeamsIssuer;
  let connector: FakeConnector;
  let slack: FakeSlack;
  let bot: BotHandle;
  let seed: CleanupSeed;
  let store: AlertStore;
  let redis: Redis;
  const run = `tbot${Date.now()}`;
  const alertId = () => `server-errors:${seed.bucket}`;
  let nextId = 1;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    // The bot's AWS clients read their credentials from the process environment, as in production.
    Object.assign(process.env, awsTestEnv());
    issuer = await new TeamsIssuer(APP_ID, TENANT).start();
    connector = await new FakeConnector().start();
    slack = await startFakeSlack();
    seed = await seedCleanupBucket('teams-bot', { old: 3, recent: 1, outside: 1 });
    await putObjects(seed.bucket, [{ key: HOSTILE_KEY, size: 10, ageDays: 0.01 }]);
    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'teams-bot-signing-secret', SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0' });
    const file = fileConfigSchema.parse({ buckets: [{ name: seed.bucket, alias: 'docs' }], teams: { allowedUsers: [ADMIN], auditChannel: AUDIT } });
    const config: Config = {
      ...file,
      env,
      region: 'us-east-1',
      configFile: 'test.yml',
      slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: slack.apiUrl },
      teamsBot: { appId: APP_ID, tenantId: TENANT, password: 'not-used-by-the-test-connections', authority: issuer.authority },
    };
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    store = new AlertStore(redis, { keyPrefix: `${run}:` });
    const at = new Date();
    const firing: AlertState = { ...initialState({ rule: 'server-errors', bucket: seed.bucket }, 'critical', at), status: 'firing', version: 1, episode: 1, since: at.toISOString(), lastNotifiedAt: at.toISOString(), value: 12, threshold: 10, finding: { rule: 'server-errors', count: 12, threshold: 10, periodMinutes: 5, periods: 1 }, recent: [3, 12] };
    expect(await store.commit([{ expectedVersion: 0, state: firing, events: [] }])).toBe('ok');
    bot = await startBot(config, silentLogger(), { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:`, teamsConnections: testConnections() });
    await waitUntilReady(bot.port);
  });

  afterAll(async () => {
    process.env = savedEnv;
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

  const url = () => `http://127.0.0.1:${bot.port}/api/messages`;

  /** An activity as Teams sends it: in the ops channel, or in a personal chat. */
  const activity = (fields: Record<string, unknown>, options: { personal?: boolean; user?: string } = {}) => ({
    id: `act-${nextId++}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    // `user: ''` is a sender Teams gave no Entra id.
    from: { id: `29:${options.user ?? ADMIN}`, ...(options.user === '' ? {} : { aadObjectId: options.user ?? ADMIN }), name: 'Dana <b>Ops</b>' },
    recipient: { id: `28:${APP_ID}`, name: 's3-chatops' },
    conversation: options.personal ? { id: `a:personal-${options.user ?? ADMIN}`, conversationType: 'personal', tenantId: TENANT } : { id: `${CHANNEL};messageid=1700000000000`, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    timestamp: new Date().toISOString(),
    ...fields,
  });

  const post = (body: unknown, token: string | undefined) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

  const signed = (options: TokenOptions = {}) => issuer.token({ serviceUrl: connector.serviceUrl, ...options });

  /** Sends a typed message; returns the replies the connector received for it. */
  const say = async (text: string, options: { personal?: boolean; user?: string; replies?: number } = {}): Promise<ConnectorCall[]> => {
    const act = activity({ type: 'message', text }, options);
    const before = connector.calls.length;
    const response = await post(act, signed());
    expect(response.status).toBe(200);
    const calls = await connector.waitFor(before + (options.replies ?? 1));
    return calls.slice(before).filter((c) => c.activityId === act.id || c.activity.replyToId === act.id);
  };

  /** Presses a card's Universal Action; returns the invoke response body. */
  const press = async (verb: string, value: string, options: { user?: string } = {}): Promise<InvokeBody> => {
    const act = activity({ type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card-1', value: { action: { type: 'Action.Execute', verb, data: { value } }, trigger: 'manual' } }, options);
    const response = await post(act, signed());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    return (await response.json()) as InvokeBody;
  };

  const cardOf = (call: ConnectorCall) => {
    const attachment = call.activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(parseEvents(attachment!.content)).toEqual([]);
    return attachment!.content as { body: unknown[]; actions?: { type: string; title: string; verb?: string; data?: { value: string }; card?: { actions: { verb: string; data: { value: string } }[] } }[] };
  };

  const replacedCard = (body: InvokeBody) => {
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(parseEvents(body.value)).toEqual([]);
    return body.value as ReturnType<typeof cardOf>;
  };

  describe('refuses what the SDK cannot authenticate, with nothing run', () => {
    const cases: [string, () => string | undefined][] = [
      ['no token', () => undefined],
      ['a wrong audience', () => signed({ audience: 'c0ffee00-0000-4000-8000-000000000000' })],
      ['an expired token', () => signed({ expiresIn: -3600 })],
      ['a bad signature', () => signed({ forgedKey: strangerKey() })],
      ['a token from another tenant', () => signed({ issuer: `${issuer.authority}/00000000-0000-4000-8000-000000000000/v2.0` })],
    ];
    it.each(cases)('%s', async (_name, token) => {
      const before = connector.calls.length;
      const response = await post(activity({ type: 'message', text: 'test docs' }), token());
      expect(response.status).toBe(401);
      // Give a wrongly started turn the time to reply: none may arrive.
      await new Promise((r) => setTimeout(r, 300));
      expect(connector.calls.length).toBe(before);
    });
  });

  it('refuses an activity whose serviceUrl is not the one its token was issued for, sending nothing', async () => {
    const before = connector.calls.length;
    const response = await post(activity({ type: 'message', text: 'help' }), signed({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }));
    expect(response.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.calls.length).toBe(before);
  });

  it('refuses a body that is not an activity, and counts every refusal by reason', async () => {
    const response = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${signed()}` }, body: '{not json' });
    expect(response.status).toBe(400);
    const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    expect(metrics).toContain('s3chatops_teams_requests_refused_total{reason="bad_token"} 5');
    expect(metrics).toContain('s3chatops_teams_requests_refused_total{reason="malformed"} 1');
  });

  it('answers a mention in a channel with the status card, in the thread, with the bot token', async () => {
    const [reply] = await say(`<at>s3-chatops</at> status ${seed.bucket}`);
    expect(reply).toBeDefined();
    expect(issuer.keyFetches).toBeGreaterThan(0);
    expect(reply!.method).toBe('POST');
    expect(reply!.conversationId).toBe(`${CHANNEL};messageid=1700000000000`);
    expect(reply!.authorization).toBe(`Bearer ${CONNECTOR_TOKEN}`);
    const card = cardOf(reply!);
    expect(JSON.stringify(card.body)).toContain(seed.bucket);
    const verbs = (card.actions ?? []).map((a) => a.verb);
    expect(verbs).toEqual(expect.arrayContaining(['status_refresh', 'test_upload', 'cleanup_preview']));
    expect(card.actions!.every((a) => a.type === 'Action.Execute')).toBe(true);
  });

  it('answers every command in a personal chat from the shared registry', async () => {
    const expected: [string, RegExp][] = [
      ['help', /status \[bucket\]/],
      ['uploads docs', /uploads/i],
      ['errors docs', /error/i],
      ['alerts', /server-errors/],
      ['costs', /cost/i],
      ['digest', /digest/i],
      ['test docs', /test upload/i],
      ['cleanup docs', /Delete/],
    ];
    for (const [text, pattern] of expected) {
      const replies = await say(text, { personal: true });
      expect(replies.length, text).toBeGreaterThan(0);
      const card = cardOf(replies[0]!);
      expect(JSON.stringify(card), text).toMatch(pattern);
      expect(JSON.stringify(card), text).not.toContain('Something went wrong');
    }
  });

  it('says when an answer is a recent one reused, and how old, as Slack does', async () => {
    const [first] = await say('costs', { personal: true });
    const [again] = await say('costs', { personal: true });
    const firstText = JSON.stringify(cardOf(first!).body);
    const againText = JSON.stringify(cardOf(again!).body);
    expect(againText).toMatch(/Answer from \d+ s ago, reused: identical questions within 20 s share one answer/);
    // The same answer otherwise: only the note differs.
    expect(againText.replace(/,\{[^{}]*Answer from [^{}]*\}/, '')).toBe(firstText.replace(/,\{[^{}]*Answer from [^{}]*\}/, ''));
  });

  it('shows a hostile object key and a hostile typed command as data', async () => {
    const [uploads] = await say('uploads docs', { personal: true });
    // The body is Markdown to Teams: the key's link syntax arrives escaped, its words still readable.
    const text = JSON.stringify(cardOf(uploads!).body);
    expect(text).toContain('U0VICTIM');
    expect(text).toContain('\\\\[here](https://evil.example/sso)');
    expect(text).not.toMatch(/[^\\]\[here\]\(https:\/\/evil/);
    // One typed word carrying a mention and a link: echoed back as data.
    const [bad] = await say('status <@U0VICTIM>[here](https://evil.example/sso)', { personal: true });
    const badText = JSON.stringify(cardOf(bad!).body);
    expect(badText).toContain('U0VICTIM');
    expect(badText).not.toMatch(/[^\\]\[here\]\(https:\/\/evil/);
  });

  it('says what it answers to when it is installed, and nothing when someone else joins', async () => {
    const before = connector.calls.length;
    const joined = activity({ type: 'conversationUpdate', membersAdded: [{ id: '29:someone-else' }] });
    expect((await post(joined, signed())).status).toBe(200);
    const installed = activity({ type: 'conversationUpdate', membersAdded: [{ id: `28:${APP_ID}` }] }, { personal: true });
    expect((await post(installed, signed())).status).toBe(200);
    const calls = (await connector.waitFor(before + 1)).slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.conversationId).toBe(`a:personal-${ADMIN}`);
    expect(JSON.stringify(cardOf(calls[0]!))).toMatch(/status \[bucket\]/);
  });

  it('Refresh replaces the card with a fresh status card', async () => {
    const card = replacedCard(await press('status_refresh', seed.bucket));
    expect(JSON.stringify(card.body)).toContain(seed.bucket);
    expect(card.actions!.map((a) => a.verb)).toContain('status_refresh');
  });

  it('a button naming an unknown bucket does nothing but say so', async () => {
    const body = await press('test_upload', 'not-a-bucket[x](https://evil.example)');
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(body.value)).toContain('is no longer a configured bucket, so this button cannot run');
  });

  it('Run test upload replaces the card with the upload result', async () => {
    const card = replacedCard(await press('test_upload', seed.bucket));
    expect(JSON.stringify(card.body)).toMatch(/test upload/i);
    expect(JSON.stringify(card.body)).toMatch(/PUT|write|upload/i);
  });

  it('Clean up test files: preview, then Delete behind a confirmation, for allowed users only, once, audited', async () => {
    const preview = replacedCard(await press('cleanup_preview', seed.bucket));
    const show = preview.actions!.find((a) => a.type === 'Action.ShowCard')!;
    expect(show).toBeDefined();
    const confirm = show.card!.actions[0]!;
    expect(confirm.verb).toBe('cleanup_confirm');
    const ticket = confirm.data.value;

    const auditBefore = connector.calls.filter((c) => c.conversationId === AUDIT).length;
    // A stranger is refused, and the refusal is audited.
    const refused = await press('cleanup_confirm', ticket, { user: STRANGER });
    expect(refused.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(refused.value)).toContain('teams.allowedUsers');
    // An altered plan is refused.
    const altered = await press('cleanup_confirm', `${ticket.slice(0, -3)}AAA`);
    expect(String(altered.value)).toContain('nothing was deleted');
    const queue = new Queue(CLEANUP_QUEUE, { connection: redis, prefix: run });
    expect(await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'])).toEqual([]);

    const done = replacedCard(await press('cleanup_confirm', ticket));
    expect(JSON.stringify(done.body)).toContain(ADMIN);
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ bucket: seed.bucket, prefix: '_s3-chatops/test/', user: `teams:${ADMIN}` });
    const again = await press('cleanup_confirm', ticket);
    expect(String(again.value)).toContain('already confirmed');
    expect(await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).toHaveLength(1);
    await queue.close();

    const audits = (await connector.waitFor(connector.calls.length)).filter((c) => c.conversationId === AUDIT).slice(auditBefore);
    expect(audits.map((c) => JSON.stringify(c.activity.attachments))).toEqual([
      expect.stringContaining('not in teams.allowedUsers'),
      expect.stringContaining('carries no cleanup plan'),
      expect.stringContaining('confirmed deleting'),
    ]);
    expect(audits.every((c) => c.authorization === `Bearer ${CONNECTOR_TOKEN}`)).toBe(true);
  });

  it('Cancel on a preview is refused for a stranger and replaces the card for an allowed user', async () => {
    const preview = replacedCard(await press('cleanup_preview', seed.bucket));
    const cancel = preview.actions!.find((a) => a.verb === 'cleanup_cancel')!;
    expect(String((await press('cleanup_cancel', cancel.data!.value, { user: STRANGER })).value)).toContain('may cancel');
    const card = replacedCard(await press('cleanup_cancel', cancel.data!.value));
    expect(JSON.stringify(card.body)).toContain('cancelled');
  });

  it('Acknowledge and Snooze on an alert card change the alert and replace the card', async () => {
    // A press Teams sent with no Entra id is nobody's: nothing changes.
    const nobody = await press('alert_acknowledge', JSON.stringify({ id: alertId(), episode: 1 }), { user: '' });
    expect(String(nobody.value)).toContain('did not say who pressed');
    expect((await store.getStates([alertId()]))[0]!.acknowledgedBy).toBeNull();
    const ack = replacedCard(await press('alert_acknowledge', JSON.stringify({ id: alertId(), episode: 1 })));
    expect(JSON.stringify(ack.body)).toContain(`Acknowledged by Teams user ${ADMIN}`);
    expect((await store.getStates([alertId()]))[0]!.acknowledgedBy).toBe(`teams:${ADMIN}`);
    // Acknowledged: the card keeps only the snooze buttons.
    expect(ack.actions!.map((a) => a.verb)).toEqual(['alert_snooze_1h', 'alert_snooze_4h', 'alert_snooze_24h']);
    const snoozed = replacedCard(await press('alert_snooze_4h', JSON.stringify({ id: alertId(), episode: 1, hours: 4 })));
    expect(JSON.stringify(snoozed.body)).toContain('Snoozed');
    expect((await store.getStates([alertId()]))[0]!.snoozedUntil).not.toBeNull();
    // A value that is not one of ours changes nothing.
    const forged = await press('alert_snooze_4h', JSON.stringify({ id: alertId(), episode: 1, hours: 9999 }));
    expect(forged.type).toBe('application/vnd.microsoft.activity.message');
  });
}, ['moto', 'redis']);
