import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeWithServices } from '../../helpers/services.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { actionsConfig, STATUS_TS } from '../actions/bot.js';
import { commandBody, postAsSlack, pressBody, startReplayBot, type ReplayBot } from './replay-bot.js';

const REFUSED_LOG_INTERVAL_MS = 3_000;

describeWithServices('retries, replays and requests outside the time window', () => {
  let bucket: string;
  let bot: ReplayBot;

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('replay'));
    bot = await startReplayBot(actionsConfig(bucket), REFUSED_LOG_INTERVAL_MS);
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
  });

  beforeEach(() => {
    bot.slack.reset();
  });

  const refusedCount = async (reason: string) => Number(new RegExp(`^s3chatops_slack_requests_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(await bot.registry.metrics())?.[1] ?? 0);

  it('a Slack retry of /s3 test (same body, X-Slack-Retry-Num: 1) runs one upload and answers once', async () => {
    const before = await bot.uploads();
    const putsBefore = bot.gate.puts;
    const { id, url } = bot.slack.responseUrl();
    const body = commandBody(`test ${bucket}`, url);
    expect(await postAsSlack(bot.eventsUrl, body)).toBe(200);
    // Slack retries while the original is still running, and again later.
    expect(await postAsSlack(bot.eventsUrl, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).toBe(200);
    await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
    expect(await postAsSlack(bot.eventsUrl, body, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } })).toBe(200);
    expect(await bot.bot.drain(30_000)).toBe(true);
    expect(await bot.uploads()).toBe(before + 1);
    expect(bot.gate.puts).toBe(putsBefore + 1);
    const answers = bot.slack.responsesTo(id);
    expect(answers).toHaveLength(1);
    expect(String(answers[0]!.body.text)).toContain('worked');
  }, 60_000);

  it('a replayed Run test upload press acts once: one upload, one thread message, nothing for the copies', async () => {
    const before = await bot.uploads();
    const { id, url } = bot.slack.responseUrl();
    const body = pressBody('test_upload', bucket, url, STATUS_TS);
    for (let i = 0; i < 3; i += 1) expect(await postAsSlack(bot.eventsUrl, body)).toBe(200);
    await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).includes('Test upload to'), 30_000);
    expect(await postAsSlack(bot.eventsUrl, body)).toBe(200);
    expect(await bot.bot.drain(30_000)).toBe(true);
    expect(await bot.uploads()).toBe(before + 1);
    expect(bot.slack.callsOf('chat.postMessage').filter((c) => String(c.body.text).startsWith('Running a test upload'))).toHaveLength(1);
    expect(bot.slack.responsesTo(id)).toHaveLength(0);
  }, 60_000);

  it('requests stamped an hour or ten years ahead, or ten minutes old, get a 401 and run nothing', async () => {
    const before = await bot.uploads();
    const [future, stale] = [await refusedCount('future'), await refusedCount('stale')];
    const nowS = Math.floor(Date.now() / 1000);
    const ids: string[] = [];
    for (const timestamp of [nowS + 3600, nowS + 10 * 365 * 24 * 3600, nowS - 600]) {
      const { id, url } = bot.slack.responseUrl();
      ids.push(id);
      // Correctly signed for that timestamp: only the time refuses it.
      expect(await postAsSlack(bot.eventsUrl, commandBody(`test ${bucket}`, url), { timestamp })).toBe(401);
    }
    expect(await bot.bot.drain(30_000)).toBe(true);
    expect(await bot.uploads()).toBe(before);
    for (const id of ids) expect(bot.slack.responsesTo(id)).toHaveLength(0);
    expect(await refusedCount('future')).toBe(future + 2);
    expect(await refusedCount('stale')).toBe(stale + 1);
  }, 30_000);

  it('30 people asking /s3 test at once, and a Run test upload press among them, run one upload; every one of them gets its result', async () => {
    const before = await bot.uploads();
    const putsBefore = bot.gate.puts;
    // The first upload's write waits until every request has been acknowledged: all arrive while it runs.
    bot.gate.close();
    const asks = Array.from({ length: 30 }, (_, i) => ({ ...bot.slack.responseUrl(), user: `U0USER${i}` }));
    const press = bot.slack.responseUrl();
    const statuses = await Promise.all([
      ...asks.map((a) => postAsSlack(bot.eventsUrl, commandBody(`test ${bucket}`, a.url, a.user))),
      postAsSlack(bot.eventsUrl, pressBody('test_upload', bucket, press.url, STATUS_TS)),
    ]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await expect.poll(() => bot.gate.held, { timeout: 10_000 }).toBeGreaterThan(0);
    bot.gate.open();
    expect(await bot.bot.drain(60_000)).toBe(true);
    expect(await bot.uploads()).toBe(before + 1);
    expect(bot.gate.puts).toBe(putsBefore + 1);
    for (const a of asks) {
      const answers = bot.slack.responsesTo(a.id);
      expect(answers).toHaveLength(1);
      expect(String(answers[0]!.body.text)).toContain('worked');
    }
  }, 90_000);

  it('2,000 forged requests write a few summary lines, not one each, and the counter has every one', async () => {
    const before = await refusedCount('bad_signature');
    const linesBefore = bot.logLines.length;
    const started = Date.now();
    const forged = Array.from({ length: 2_000 }, (_, i) => i);
    for (let i = 0; i < forged.length; i += 50) {
      const statuses = await Promise.all(forged.slice(i, i + 50).map((n) => postAsSlack(bot.eventsUrl, `token=x&command=%2Fs3&text=test&trigger_id=${n}`, { signature: `v0=${'0'.repeat(64)}` })));
      expect(statuses.every((s) => s === 401)).toBe(true);
    }
    expect(await refusedCount('bad_signature')).toBe(before + 2_000);
    // The last interval's line is written when its timer fires.
    const summed = () =>
      bot.logLines
        .slice(linesBefore)
        .filter((l) => String(l.msg).startsWith('refused '))
        .reduce((sum, l) => sum + Number((l.refused as Record<string, number> | undefined)?.bad_signature ?? 0), 0);
    await expect.poll(summed, { timeout: 4 * REFUSED_LOG_INTERVAL_MS, interval: 100 }).toBe(2_000);
    const written = bot.logLines.slice(linesBefore);
    // One line per interval that saw refusals, whatever the number of requests.
    const intervals = Math.ceil((Date.now() - started) / REFUSED_LOG_INTERVAL_MS) + 1;
    expect(written.length).toBeLessThanOrEqual(intervals);
    expect(written.every((l) => String(l.msg).startsWith('refused '))).toBe(true);
    // Refusals of the tests before this one may share its first interval, so a line may name other reasons too.
    expect(String(written.at(-1)!.msg)).toMatch(/^refused \d+ requests in the last 3 s \((?:[a-z ]+ \d+, )*bad signature \d+(?:, [a-z ]+ \d+)*\)$/);
  }, 120_000);
});
