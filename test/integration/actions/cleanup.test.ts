import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCleanupWorker } from '../../../src/jobs/cleanup-worker.js';
import { tokenMessenger } from '../../../src/actions/slack-messenger.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { actionsConfig, ADMIN, AUDIT_CHANNEL, deleteButtonValue, startActionsBot, STATUS_TS, type ActionsBot } from './bot.js';
import { deleteMarkersLeft, seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';
import { waitFor } from '../../helpers/wait.js';

const SECOND_ADMIN = 'U0ADMIN2';
const STRANGER = 'U0STRANGER';

describeWithServices('cleanup through the Slack buttons (moto, Redis, real Bolt app)', () => {
  let seed: CleanupSeed;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;
  const prefixes = { queuePrefix: `test-cleanup-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup', { old: 2_500, recent: 50, outside: 100 });
    const config = actionsConfig(seed.bucket);
    bot = await startActionsBot({ ...config, cleanup: { ...config.cleanup, allowedUsers: [ADMIN, SECOND_ADMIN] } }, prefixes);
  }, 300_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  it('previews, refuses a stranger, runs one deletion for two presses, and deletes exactly the old test files and their versions', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const markersBefore = await deleteMarkersLeft(s3, seed.bucket);
    // The seed holds old keys deleted long ago (marker on top), test keys deleted yesterday, and deleted keys outside the prefix.
    expect(seed.markedKeys.length).toBeGreaterThan(0);
    for (const key of [...seed.markedKeys, ...seed.recentlyDeletedKeys]) expect(markersBefore.has(key)).toBe(true);
    expect(seed.outsideKeys.some((key) => markersBefore.has(key))).toBe(true);

    // Clean up test files: the preview goes into the status message's thread.
    await bot.press('cleanup_preview', seed.bucket);
    const preview = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('cleanup_confirm'), 30_000);
    expect(preview.body.thread_ts).toBe(STATUS_TS);
    // 2,500 test files and an old lookalike of their form (untagged: the deletion's tag check keeps it).
    expect(JSON.stringify(preview.body.blocks)).toContain('2,501');
    const value = deleteButtonValue(preview.body.blocks)!;
    expect(value).toBeDefined();
    const onPreview = { messageBlocks: preview.body.blocks };

    // A person not in cleanup.allowedUsers: told so, audited, nothing deleted, nothing queued.
    const refused = await bot.press('cleanup_confirm', value, { user: STRANGER, ...onPreview });
    const refusal = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === refused.responseId);
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(refusal.body.text)).toMatch(/allowedUsers.*nothing was deleted/);
    const audit = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === AUDIT_CHANNEL && String(c.body.text).includes('Refused'));
    expect(String(audit.body.text)).toContain(STRANGER);
    const counts = await bot.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);

    // Two allowed people press Delete at the same moment: one job, and the other is told it is under way.
    const presses = await Promise.all([bot.press('cleanup_confirm', value, { user: ADMIN, ...onPreview }), bot.press('cleanup_confirm', value, { user: SECOND_ADMIN, ...onPreview })]);
    const told = await bot.slack.waitFor((c) => c.method === 'respond' && presses.some((p) => p.responseId === c.responseId) && String(c.body.text).includes('already confirmed by'));
    expect(told.body).toMatchObject({ response_type: 'ephemeral' });
    const jobs = await bot.queue.getJobs(['waiting', 'active', 'delayed', 'completed']);
    expect(jobs).toHaveLength(1);
    const confirmedBy = jobs[0]!.data.user;

    // The worker deletes, counting its DeleteObjects calls.
    const { s3: workerS3 } = createTestAwsClients();
    let deleteCalls = 0;
    workerS3.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'DeleteObjectsCommand') deleteCalls += 1;
      return next(args);
    }, { step: 'initialize', name: 'countDeletes' });
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const worker = startCleanupWorker(
      { s3: workerS3, logger: silentLogger(), now: () => new Date(), messenger: tokenMessenger({ token: 'xoxb-test-token', apiUrl: bot.slack.apiUrl, purpose: 'background' }), progressEveryMs: 0 },
      { connection, prefix: prefixes.queuePrefix },
    );
    try {
      const summary = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 180_000);
      expect(summary.body.ts).toBe(STATUS_TS);
      const job = await waitForState(bot, jobs[0]!.id!, 'completed');
      expect(job.returnvalue).toMatchObject({ deleted: seed.oldVersions, failures: [], done: true });
    } finally {
      await worker.close();
      connection.disconnect();
      workerS3.destroy();
    }
    expect(deleteCalls).toBe(Math.ceil(seed.oldVersions / 1_000));
    const progressEdits = bot.slack.callsOf('chat.update').filter((c) => String(c.body.text).includes(`of ${seed.oldVersions.toLocaleString('en-US')} versions deleted`));
    expect(progressEdits.length).toBeGreaterThanOrEqual(1);

    const after = await versionsLeft(s3, seed.bucket);
    for (const key of seed.oldKeys) expect(after.has(key)).toBe(false);
    const expected = new Map([...before].filter(([key]) => !seed.oldKeys.includes(key)));
    expect(after).toEqual(expected);
    expect(seed.recentKeys.every((k) => after.get(k) === 1)).toBe(true);
    // Old but not written by the test upload: kept, since cleanup.includeUnmarked is off.
    expect(seed.unmarkedOldKeys.every((k) => after.get(k) === 1)).toBe(true);
    // Old keys whose newest entry was a delete marker: the marker and every version under it are gone.
    for (const key of seed.markedKeys) expect(after.has(key)).toBe(false);
    // A marker of yesterday keeps its key whole (marker and the old version), and markers outside the prefix stay.
    expect(seed.recentlyDeletedKeys.every((k) => after.get(k) === 2)).toBe(true);
    const markersAfter = await deleteMarkersLeft(s3, seed.bucket);
    expect(markersAfter).toEqual(new Set([...markersBefore].filter((key) => !seed.oldKeys.includes(key))));

    const audits = bot.slack.callsOf('chat.postMessage').filter((c) => c.body.channel === AUDIT_CHANNEL && String(c.body.text).startsWith('Cleanup:'));
    expect(audits).toHaveLength(1);
    expect(String(audits[0]!.body.text)).toContain(`<@${confirmedBy}> deleted ${seed.oldVersions.toLocaleString('en-US')} versions`);
  }, 300_000);
});

/** The job once it reaches `state` (the summary edit comes just before BullMQ records completion). */
async function waitForState(bot: ActionsBot, id: string, state: string) {
  const job = await waitFor(async () => {
    const found = await bot.queue.getJob(id);
    return found && (await found.getState()) === state ? found : undefined;
  }, undefined, { timeoutMs: 30_000, intervalMs: 100, message: `job ${id} did not reach ${state}` });
  return job!;
}
