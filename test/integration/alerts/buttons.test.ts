// Snooze and Acknowledge, pressed as signed block_actions on the real bot, change what the real
// worker posts: the alert message is edited and its thread says who pressed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { pressButton } from '../actions/bot.js';

const SECRET = 'test-signing-secret-buttons';

describeWithServices('alert buttons', () => {
  let slack: FakeSlack;
  let bot: BotHandle;
  let worker: WorkerHandle;
  let tick: (slot: Date) => void = () => undefined;
  const bucket = uniqueBucketName('buttons');
  const run = `btn${Date.now()}`;

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    // 5xx above the threshold for the last half hour: server-errors fires on the first tick.
    const now = Date.now();
    const points: RequestMetricsPoint[] = Array.from({ length: 30 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 1000, '5xxErrors': 4 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));

    const env = envSchema.parse({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), PORT: '0' });
    const file = fileConfigSchema.parse({ buckets: [{ name: bucket, alias: 'docs' }], channels: { alerts: 'C0ALERTS' }, alerts: { messagesPerSecond: 20, thresholds: { 'error-rate': false, latency: false } } });
    const config: Config = { ...file, env, region: 'us-east-1', configFile: 'test.yml', slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: SECRET, apiUrl: slack.apiUrl } };
    const logger = process.env.H6_DEBUG ? (await import('../../../src/lib/logger.js')).createLogger({ level: 'debug', destination: process.stderr }) : silentLogger();
    bot = await startBot(config, logger, { handleSignals: false, port: 0, queuePrefix: run, alertKeyPrefix: `${run}:` });
    worker = await startWorker(config, logger, {
      handleSignals: false,
      queuePrefix: run,
      keyPrefix: `${run}:`,
      aws: createAwsPorts({ clients: createTestAwsClients(), cache: { get: async () => null, set: async () => undefined }, config, logger, now: () => new Date() }),
      ticks: (onTick) => {
        tick = onTick;
        return { stop: () => undefined };
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bot?.stop();
    await slack?.stop();
  });

  const alertPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && c.body.metadata);
  const updates = () => slack.calls.filter((c) => c.method === 'chat.update');
  const replies = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts);
  const buttonValue = (call: RecordedCall, actionPrefix: string): { actionId: string; value: string } => {
    const blocks = call.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(actionPrefix));
    if (!button) throw new Error(`no ${actionPrefix} button`);
    return { actionId: button.action_id, value: button.value };
  };
  const press = (actionId: string, value: string, user: string) => pressButton(`http://127.0.0.1:${bot.port}/slack/events`, slack, actionId, value, { user, signingSecret: SECRET });

  it('posts the firing alert with Snooze and Acknowledge buttons', async () => {
    tick(new Date(Math.floor(Date.now() / 1000) * 1000));
    const post = await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && Boolean(c.body.metadata), 15_000);
    expect(JSON.stringify(post.body.blocks)).toContain('server-errors firing on docs');
    expect(buttonValue(post, 'alert_acknowledge').actionId).toBe('alert_acknowledge');
    expect(buttonValue(post, 'alert_snooze_').actionId).toBe('alert_snooze_1h');
  });

  it('Acknowledge edits the message to say who, drops the button, and adds a thread line', async () => {
    const { actionId, value } = buttonValue(alertPosts()[0]!, 'alert_acknowledge');
    expect((await press(actionId, value, 'U0ACK')).status).toBe(200);
    const update = await slack.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.body.blocks).includes('Acknowledged by'), 15_000);
    expect(JSON.stringify(update.body.blocks)).toContain('<@U0ACK>');
    expect(JSON.stringify(update.body.blocks)).not.toContain('alert_acknowledge');
    await slack.waitFor((c) => c.method === 'chat.postMessage' && Boolean(c.body.thread_ts) && String(c.body.text).includes('Acknowledged by'), 15_000);
  });

  it('Snooze 4 h edits the message with until when, and adds a thread line', async () => {
    const { value } = buttonValue(alertPosts()[0]!, 'alert_snooze_');
    const fourHours = JSON.stringify({ ...JSON.parse(value), hours: 4 });
    expect((await press('alert_snooze_4h', fourHours, 'U0SNOOZE')).status).toBe(200);
    const update = await slack.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.body.blocks).includes('Snoozed by'), 15_000);
    expect(JSON.stringify(update.body.blocks)).toContain('<@U0SNOOZE>');
    await slack.waitFor((c) => c.method === 'chat.postMessage' && Boolean(c.body.thread_ts) && String(c.body.text).includes('Snoozed by'), 15_000);
    expect(alertPosts()).toHaveLength(1);
    expect(updates()).toHaveLength(2);
    expect(replies()).toHaveLength(2);
  });

  it('a second Acknowledge changes nothing and tells the presser', async () => {
    const { value } = buttonValue(alertPosts()[0]!, 'alert_acknowledge');
    const responseCount = slack.callsOf('respond').length;
    await press('alert_acknowledge', value, 'U0OTHER');
    await slack.waitFor((c) => c.method === 'respond' && String(c.body.text).includes('already acknowledged'), 15_000);
    expect(slack.callsOf('respond').length).toBe(responseCount + 1);
    expect(updates()).toHaveLength(2);
  });
}, ['moto', 'redis']);
