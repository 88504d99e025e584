import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { fakeAws, fakeFeatures, WorkProbe } from './fake-features.js';
import { elapse } from '../../helpers/wait.js';
import { appHomeOpenedBody, refreshBody, startTestBot, testConfig, type RunningBot } from './harness.js';

// The real Bolt app over HTTP with commands of our own; the reports are tested end to end in e2e.test.ts.
const config = testConfig([
  { name: 'docs-bucket', alias: 'docs' },
  { name: 'logs-bucket', alias: 'logs' },
  { name: 'denied-bucket' },
]);

// The waits of 200 ms (elapse) assert that nothing runs or is answered after a refusal: only a wait shows an absence.
describe('Slack app over HTTP', () => {
  let bot: RunningBot;
  let probe: WorkProbe;
  let aws: ReturnType<typeof fakeAws>;
  let redis: Redis;

  beforeAll(async () => {
    probe = new WorkProbe(config);
    aws = fakeAws();
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    bot = await startTestBot({ config, features: fakeFeatures(probe), aws, redis, answers: { reuseMs: 20_000, concurrency: 2, maxQueue: 2 } });
  });
  afterAll(async () => {
    await bot.stop();
    redis.disconnect();
  });
  afterEach(() => {
    probe.open();
    probe.failWith = undefined;
    bot.slack.reset();
  });

  it('acknowledges a signed /s3 status with an empty 200 and answers in the channel through response_url', async () => {
    const ack = await bot.command('status docs');
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    const answer = await bot.slack.waitFor((c) => c.responseId === ack.responseId);
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: 'status docs-bucket: versioning Enabled' });
  });

  it('answers a bad signature with 401 and runs nothing', async () => {
    const before = probe.count('status');
    const ack = await bot.command('status logs', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' });
    expect(ack.status).toBe(401);
    await elapse(200);
    expect(bot.slack.responsesTo(ack.responseId)).toHaveLength(0);
    expect(probe.count('status')).toBe(before);
  });

  it('answers a timestamp six minutes old with 401 and runs nothing', async () => {
    const before = probe.count('status');
    const ack = await bot.command('status logs', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(ack.status).toBe(401);
    await elapse(200);
    expect(bot.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(probe.count('status')).toBe(before);
  });

  it('answers an unknown subcommand with an ephemeral usage in the ack and nothing else', async () => {
    const ack = await bot.command('stauts docs');
    expect(ack.status).toBe(200);
    const body = JSON.parse(ack.text) as { response_type: string; text: string; blocks: { text: { text: string } }[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Unknown command');
    expect(body.blocks.map((b) => b.text.text).join('\n')).toContain('uploads [bucket]');
    await elapse(200);
    expect(bot.slack.responsesTo(ack.responseId)).toHaveLength(0);
  });

  it('answers an unknown bucket with an ephemeral usage naming the configured ones, and asks AWS nothing', async () => {
    const factsBefore = aws.calls.facts;
    const runsBefore = probe.count('status');
    const ack = await bot.command('status secret-bucket');
    const body = JSON.parse(ack.text) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Unknown bucket');
    expect(body.text).toContain('docs');
    await elapse(200);
    expect(aws.calls.facts).toBe(factsBefore);
    expect(probe.count('status')).toBe(runsBefore);
    expect(bot.slack.responsesTo(ack.responseId)).toHaveLength(0);
  });

  it('never answers 10,000 characters of noise with a 500', async () => {
    const noise = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    const ack = await bot.command(noise);
    expect(ack.status).toBe(200);
    expect((JSON.parse(ack.text) as { response_type: string }).response_type).toBe('ephemeral');
  });

  it('turns an AWS error into its user message, ephemeral, without a stack trace', async () => {
    const ack = await bot.command('status denied-bucket');
    expect(ack.status).toBe(200);
    const answer = await bot.slack.waitFor((c) => c.responseId === ack.responseId);
    expect(answer.body).toEqual({ response_type: 'ephemeral', text: 'Access denied: the bot needs s3:GetBucketVersioning on denied-bucket.' });
  });

  it('hides an unexpected error behind a generic sentence', async () => {
    probe.failWith = new Error('TypeError: cannot read x of undefined\n    at secret.ts:1');
    const ack = await bot.command('costs');
    const answer = await bot.slack.waitFor((c) => c.responseId === ack.responseId);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).not.toContain('secret.ts');
  });

  it('keeps help with the asker', async () => {
    const ack = await bot.command('help');
    const answer = await bot.slack.waitFor((c) => c.responseId === ack.responseId);
    expect(answer.body.response_type).toBe('ephemeral');
  });

  it('reuses a recent answer, says so, and gives it in the acknowledgement itself', async () => {
    const first = await bot.command('uploads logs --limit 3');
    const computed = await bot.slack.waitFor((c) => c.responseId === first.responseId);
    const runs = probe.count('uploads');
    const second = await bot.command('uploads logs-bucket --limit 3');
    expect(probe.count('uploads')).toBe(runs);
    expect(second.status).toBe(200);
    const answer = JSON.parse(second.text) as { response_type: string; text: string; blocks: { text: { text: string } }[] };
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toBe(computed.body.text);
    expect(answer.blocks.at(-1)!.text.text).toMatch(/Answer from \d+ s ago, reused/);
    // Nothing more is owed through response_url for it.
    await elapse(200);
    expect(bot.slack.callsOf('respond').filter((c) => c.responseId === second.responseId)).toHaveLength(0);
  });

  it("acknowledges a reused answer before Bolt's middleware and listeners run; anything else still goes through them", async () => {
    const seen: string[] = [];
    bot.bot.app.use(async ({ body, next }) => {
      seen.push(String((body as { text?: unknown }).text));
      await next();
    });
    const first = await bot.command('uploads docs --limit 5');
    await bot.slack.waitFor((c) => c.responseId === first.responseId);
    const reused = await bot.command('uploads docs-bucket --limit 5');
    const answer = JSON.parse(reused.text) as { blocks: { text: { text: string } }[] };
    expect(answer.blocks.at(-1)!.text.text).toMatch(/Answer from \d+ s ago, reused/);
    // A bad question and one still to compute are Bolt's, as before.
    const bad = await bot.command('stauts docs');
    const other = await bot.command('uploads docs --limit 6');
    await bot.slack.waitFor((c) => c.responseId === other.responseId);
    expect(JSON.parse(bad.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(seen).toEqual(['uploads docs --limit 5', 'stauts docs', 'uploads docs --limit 6']);
  });

  it('still acknowledges, and answers through response_url, when a reused answer cannot be rendered', async () => {
    const features = fakeFeatures(probe);
    // A renderer that fails on the reuse note: the answer cannot go in the acknowledgement.
    const failing = { ...features, render: (m: Parameters<typeof features.render>[0]) => (JSON.stringify(m).includes('reused') ? (() => { throw new Error('render failed'); })() : features.render(m)) };
    const own = await startTestBot({ config, features: failing, aws: fakeAws(), answers: { reuseMs: 20_000, concurrency: 2, maxQueue: 2 } });
    try {
      await own.answer(await own.command('uploads docs --limit 4'));
      const second = await own.command('uploads docs --limit 4');
      expect(second.status).toBe(200);
      expect(second.text).toBe('');
      const answer = await own.slack.waitFor((c) => c.responseId === second.responseId);
      expect(answer.body.response_type).toBe('ephemeral');
      expect(String(answer.body.text)).not.toContain('render failed');
    } finally {
      await own.stop();
    }
  });

  it('acknowledges 50 concurrent /s3 status before any work finishes, and the work runs and renders once', async () => {
    probe.close();
    const runsBefore = probe.count('status');
    const factsBefore = aws.calls.facts;
    const rendersBefore = probe.count('render');
    const acks = await Promise.all(Array.from({ length: 50 }, () => bot.command('status logs')));
    // Every ack came back while the computation was still held at the gate.
    expect(acks.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(bot.slack.callsOf('respond')).toHaveLength(0);
    probe.open();
    await Promise.all(acks.map((a) => bot.slack.waitFor((c) => c.responseId === a.responseId)));
    expect(probe.count('status') - runsBefore).toBe(1);
    expect(aws.calls.facts - factsBefore).toBe(1);
    // The 50 answers are one message, rendered once.
    expect(probe.count('render') - rendersBefore).toBe(1);
  });

  it('tells the person to try again, in the ack, when the bounded queue is full', async () => {
    probe.close();
    // concurrency 2 + queue 2: four distinct questions fill it.
    const held = await Promise.all([7, 8, 9, 10].map((n) => bot.command(`uploads docs --limit ${n}`)));
    expect(held.every((a) => a.text === '')).toBe(true);
    const refused = await bot.command('uploads docs --limit 2');
    expect(JSON.parse(refused.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('try again in a moment') });
    probe.open();
    await Promise.all(held.map((a) => bot.slack.waitFor((c) => c.responseId === a.responseId)));
    const after = await bot.command('uploads docs --limit 2');
    expect(after.text).toBe('');
  });

  it('recomputes and replaces the message when Refresh is pressed', async () => {
    await bot.answer(await bot.command('status docs'));
    const runs = probe.count('status');
    const { id, url } = bot.slack.responseUrl();
    const ack = await bot.post(refreshBody('docs', url));
    expect(ack.status).toBe(200);
    const replaced = await bot.slack.waitFor((c) => c.responseId === id);
    expect(probe.count('status')).toBe(runs + 1);
    expect(replaced.body).toMatchObject({ replace_original: true, text: 'status docs-bucket: versioning Enabled' });
    expect((replaced.body.blocks as { text: { text: string } }[])[0]!.text.text).toBe(`run ${runs + 1} of status`);
  });

  it('publishes the fleet overview, every configured bucket, when the App Home opens', async () => {
    const ack = await bot.post(appHomeOpenedBody(), 'application/json');
    expect(ack.status).toBe(200);
    const publish = await bot.slack.waitFor((c) => c.method === 'views.publish');
    expect(publish.body.user_id).toBe('U2147483697');
    const view = publish.body.view as { type: string; blocks: { text: { text: string } }[] };
    expect(view.type).toBe('home');
    expect(view.blocks.map((b) => b.text.text)).toEqual(['bucket docs-bucket', 'bucket logs-bucket', 'bucket denied-bucket']);
    expect(publish.headers.authorization).toBe('Bearer xoxb-test-token');
  });

  it('answers /healthz with 200 and /readyz with 200 once Redis answers and auth.test passed', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    await redis.connect().catch(() => undefined);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { redis: { ok: true }, slack: { ok: true } } });
  });
});

describe('Slack app readiness without Redis', () => {
  it('answers /readyz with 503 naming Redis while it is unreachable, /healthz still 200', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect().catch(() => undefined);
    const probe = new WorkProbe(config);
    const bot = await startTestBot({ config, features: fakeFeatures(probe), aws: fakeAws(), redis });
    try {
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      const response = await fetch(`${bot.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: { redis: { ok: boolean; error: string }; slack: { ok: boolean } } };
      expect(body.checks.redis.ok).toBe(false);
      expect(body.checks.redis.error).toBeTruthy();
      expect(body.checks.slack.ok).toBe(true);
    } finally {
      await bot.stop();
      redis.disconnect();
    }
  });

  it('answers /readyz with 503 naming Slack while auth.test fails', async () => {
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    const bot = await startTestBot({
      config,
      features: fakeFeatures(new WorkProbe(config)),
      aws: fakeAws(),
      redis,
      beforeStart: (slack) => slack.failWith('auth.test', 'invalid_auth'),
    });
    try {
      await redis.ping();
      const response = await fetch(`${bot.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: { redis: { ok: boolean }; slack: { ok: boolean; error: string } } };
      expect(body.checks.redis.ok).toBe(true);
      expect(body.checks.slack).toEqual({ ok: false, error: expect.stringContaining('invalid_auth') });
    } finally {
      await bot.stop();
      redis.disconnect();
    }
  });
});
