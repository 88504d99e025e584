import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tokenMessenger } from '../../../src/actions/slack-messenger.js';
import { cleanupCutoff } from '../../../src/actions/cleanup-plan.js';
import type { CleanupJobData } from '../../../src/jobs/cleanup-job.js';
import { startCleanupWorker } from '../../../src/jobs/cleanup-worker.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { putObjects } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/harness.js';
import { actionsConfig, ADMIN, deleteButtonValue, startActionsBot, STATUS_TS, type ActionsBot } from './bot.js';
import { PREFIX, seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

// `/s3 cleanup` through the real Bolt app, Cancel, and a forged Delete button, on moto and Redis.
describeWithServices('cleanup: /s3 cleanup, Cancel and a forged Delete (moto, Redis, real Bolt app)', () => {
  let seed: CleanupSeed;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;
  const prefixes = { queuePrefix: `test-cleanup-btn-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-btn-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup-buttons', { old: 12, recent: 5, outside: 6 });
    bot = await startActionsBot(actionsConfig(seed.bucket), prefixes);
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  async function slash(text: string) {
    const { id, url } = bot.slack.responseUrl();
    const response = await postSigned(bot.eventsUrl, slashCommandBody(text, url), { signingSecret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    return bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
  }

  it('/s3 cleanup answers with the preview, a danger Delete behind a confirmation and Cancel; asked again, it lists the bucket again', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const answer = await slash(`cleanup ${seed.bucket}`);
    expect(answer.body.response_type).toBe('in_channel');
    expect(String(answer.body.text)).toContain('12 objects');
    const actions = (answer.body.blocks as { type: string; elements?: Record<string, any>[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(actions[0]).toMatchObject({ action_id: 'cleanup_confirm', style: 'danger', confirm: { title: { text: 'Delete test files?' }, confirm: { text: 'Delete' } } });
    expect(JSON.parse(actions[0]!.value as string)).toMatchObject({ bucket: seed.bucket });
    expect(actions[1]).toMatchObject({ action_id: 'cleanup_cancel', value: seed.bucket });
    // A preview deletes nothing.
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);

    // One more old test file, then the same question: a new listing, not the first preview reused.
    await putObjects(seed.bucket, [{ key: `${PREFIX}late-old.bin`, size: 10, ageDays: 20 }]);
    const again = await slash(`cleanup ${seed.bucket}`);
    expect(String(again.body.text)).toContain('13 objects');
    expect(JSON.stringify(again.body)).not.toMatch(/reused/);
    seed.oldKeys.push(`${PREFIX}late-old.bin`);
  }, 60_000);

  it('Cancel replaces the preview, queues nothing and deletes nothing', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const pressed = await bot.press('cleanup_cancel', seed.bucket);
    expect(pressed.status).toBe(200);
    const answer = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === pressed.responseId);
    expect(answer.body).toMatchObject({ replace_original: true });
    expect(String(answer.body.text)).toBe(`Cleanup cancelled by <@${ADMIN}>; nothing was deleted.`);
    const counts = await bot.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);
  });

  it('a forged Delete with a future cutoff and another prefix deletes only the old test files of the fixed scope', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const forged = JSON.stringify({ bucket: seed.bucket, cutoff: '2999-01-01T00:00:00.000Z', prefix: '', testPrefix: 'docs/' });
    const pressedAt = new Date();
    const pressed = await bot.press('cleanup_confirm', forged, { user: ADMIN });
    expect(pressed.status).toBe(200);
    const [job] = await waitFor(async () => {
      const jobs = await bot.queue.getJobs(['waiting', 'active', 'completed']);
      return jobs.length === 1 ? jobs : undefined;
    });
    const data = job!.data as CleanupJobData;
    // The scope the job carries is the configured one, whatever the button said.
    expect(data.prefix).toBe(PREFIX);
    expect(Date.parse(data.cutoff)).toBeLessThanOrEqual(cleanupCutoff(new Date(), 7).getTime());
    expect(Date.parse(data.cutoff)).toBeGreaterThanOrEqual(cleanupCutoff(pressedAt, 7).getTime() - 1_000);

    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const { s3: workerS3 } = createTestAwsClients();
    const worker = startCleanupWorker(
      { s3: workerS3, logger: silentLogger(), now: () => new Date(), messenger: tokenMessenger({ token: 'xoxb-test-token', apiUrl: bot.slack.apiUrl, retryConfig: { retries: 0 } }) },
      { connection, prefix: prefixes.queuePrefix },
    );
    try {
      const summary = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 60_000);
      expect(summary.body.ts).toBe(STATUS_TS);
    } finally {
      await worker.close();
      connection.disconnect();
      workerS3.destroy();
    }
    const after = await versionsLeft(s3, seed.bucket);
    expect(after).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
    // Recent test files (a day old, well before the forged cutoff) and everything outside the prefix are still there.
    expect(seed.recentKeys.every((k) => after.get(k) === 1)).toBe(true);
    expect(seed.outsideKeys.every((k) => after.has(k))).toBe(true);
  }, 120_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}
