// The "done when", end to end: the real bot and the real worker on Redis, moto and the fake
// Slack. A bucket's seeded 5xx errors rise above the server-errors threshold (one alert message, one
// evaluation period after its `for`), then fall (that message edited to resolved), and the digest
// schedule (digest-ticks, on an injected clock a second before the digest time) posts the digest
// to the digest channel within Slack's limits. Ticks are driven by hand and mapped onto the seeded
// data's clock, so nothing waits for minutes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertStore } from '../../../src/alerts/store.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { digestTicks } from '../../../src/jobs/digest-ticks.js';
import type { TickSource } from '../../../src/jobs/tick-source.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { BotHandle } from '../../../src/main.js';
import { startWorker, type WorkerHandle } from '../../../src/worker.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName, type RequestMetricsPoint } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { ask, startMainBot } from '../../helpers/main-bot.js';
import { servicesEnv, testConfig } from '../../helpers/config.js';

const PERIOD_MS = 300_000;
/** Periods (5 min each, from T0) whose 5xx errors are above the threshold of 5 per period. */
const HIGH = { from: 6, to: 11 };
const TICKS = 18;

describeWithServices('done when: an alert fires once, resolves by an edit, and the digest arrives', () => {
  let slack: FakeSlack;
  let bot: BotHandle;
  let worker: WorkerHandle;
  let store: AlertStore;
  const bucket = uniqueBucketName('done-when');
  const run = `dw${Date.now()}`;
  const alertId = `server-errors:${bucket}`;
  let simT0 = 0;
  let tick: (slot: Date) => void = () => undefined;
  let armDigest: () => void = () => undefined;
  /** The slot of each tick, and the fake Slack's calls when it had been evaluated. */
  const afterTick: { sim: number; calls: number }[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    simT0 = Math.floor((Date.now() - 4 * 3_600_000) / PERIOD_MS) * PERIOD_MS;
    const points: RequestMetricsPoint[] = [];
    for (let period = 0; period < TICKS + 2; period += 1) {
      const high = period >= HIGH.from && period <= HIGH.to;
      for (let minute = 0; minute < 5; minute += 1) points.push({ at: new Date(simT0 + period * PERIOD_MS + minute * 60_000), AllRequests: 1000, '5xxErrors': high ? 3 : 0, '4xxErrors': 0 });
    }
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));

    const config = testConfig(
      { buckets: [{ name: bucket, alias: 'docs' }], channels: { alerts: 'C0ALERTS', digest: 'C0DIGEST' }, schedules: { digestTime: '09:00', timezone: 'UTC' }, alerts: { messagesPerSecond: 20 } },
      servicesEnv(slack),
    );
    bot = await startMainBot(config, run);
    const simStart = Math.floor(Date.now() / 1000) * 1000;
    // The digest schedule itself, armed once the alert has come and gone, on a clock a second before 09:00.
    const digestSchedule: TickSource = (onTick) => {
      let handle: { stop(): void } | undefined;
      armDigest = () => {
        const offset = Date.parse('2026-03-10T08:59:59Z') - Date.now();
        handle = digestTicks(config.schedules.digestTime, config.schedules.timezone, () => new Date(Date.now() + offset))(onTick);
      };
      return { stop: () => handle?.stop() };
    };
    worker = await startWorker(config, silentLogger(), {
      handleSignals: false,
      serveMetrics: false,
      queuePrefix: run,
      keyPrefix: `${run}:`,
      aws: createAwsPorts({ clients: createTestAwsClients(), cache: { get: async () => null, set: async () => undefined }, config, logger: silentLogger(), now: () => new Date() }),
      ticks: (onTick) => {
        tick = onTick;
        return { stop: () => undefined };
      },
      // Tick k judges the data as of T0 + k periods.
      evaluationTime: (slot) => new Date(simT0 + Math.round((slot.getTime() - simStart) / 1000) * PERIOD_MS),
      digestTicks: digestSchedule,
    });
    store = worker.store;

    for (let k = 0; k < TICKS; k += 1) {
      const slot = new Date(simStart + k * 1000);
      tick(slot);
      // Each tick is evaluated, and what it changed delivered, before the next.
      await until(async () => (await store.lastSlot('0')) === slot.toISOString(), `tick ${k} evaluated`);
      await until(async () => (await store.outbox('slack').pendingIds()).length === 0, `tick ${k}'s changes delivered`);
      afterTick.push({ sim: simT0 + k * PERIOD_MS, calls: slack.calls.length });
    }
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await bot?.stop();
    await slack?.stop();
  });

  const meta = (c: RecordedCall) => (c.body.metadata as { event_payload?: { alert_id: string; kind: string } } | undefined)?.event_payload;
  const alertPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && meta(c)?.alert_id === alertId);
  const callsBefore = (n: number) => slack.calls.slice(0, n).filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && meta(c)?.alert_id === alertId);

  it('posts exactly one alert message, one evaluation period after the breach has lasted its `for`', () => {
    expect(alertPosts()).toHaveLength(1);
    const post = alertPosts()[0]!;
    expect(post.body.channel).toBe('C0ALERTS');
    expect(JSON.stringify(post.body.blocks)).toContain(bucket);
    const firedAt = afterTick.find((t) => callsBefore(t.calls).length === 1)!.sim;
    // The breach starts with period HIGH.from; `for` is 2 periods of 5 min.
    const forEnds = simT0 + (HIGH.from + 2) * PERIOD_MS;
    expect(firedAt).toBeGreaterThanOrEqual(forEnds);
    expect(firedAt - forEnds).toBeLessThanOrEqual(PERIOD_MS);
  });

  it('edits that message to resolved once the errors are back under the threshold, and says so in its thread', async () => {
    // The message the worker posted, as it recorded it to edit it later.
    const ts = (await store.outbox('slack').messageRef(alertId, 1))!.ts;
    expect(ts).not.toBe('');
    const edits = slack.callsOf('chat.update').filter((c) => meta(c)?.alert_id === alertId);
    expect(edits.map((e) => meta(e)!.kind)).toEqual(['resolved']);
    expect(edits[0]!.body.ts).toBe(ts);
    expect(JSON.stringify(edits[0]!.body.blocks)).toContain('resolved');
    const thread = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    expect(thread.some((c) => /Resolved/.test(JSON.stringify(c.body)))).toBe(true);
    const [state] = await store.getStates([alertId]);
    expect(state).toMatchObject({ status: 'resolved', episode: 1 });
    // `/s3 alerts` on the bot lists it among the resolved.
    const { all } = await ask(bot, slack, 'alerts');
    expect(all).toContain('Resolved in the last 24 h (1)');
  });

  it('the digest schedule posts the digest to the digest channel, readable and within Slack\'s limits', async () => {
    const before = slack.calls.length;
    armDigest();
    const digest = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DIGEST' && slack.calls.indexOf(c) >= before, 60_000);
    const blocks = digest.body.blocks as { type: string; text?: { text: string } }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    const all = JSON.stringify(digest.body);
    expect(all).toContain('S3 daily digest: 2026-03-10');
    expect(all).toContain(bucket);
    expect(all).toContain('Alerts: 1 fired, 1 resolved');
    expect(typeof digest.body.text).toBe('string');
    // One digest a day: nothing else went to the digest channel.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DIGEST' && !c.body.thread_ts)).toHaveLength(1);
  }, 90_000);
}, ['moto', 'redis']);

/** Waits (polling, at most 30 s) until `done` holds. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within 30 s: ${what}`);
}
