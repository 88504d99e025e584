import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tokenMessenger } from '../../../src/actions/slack-messenger.js';
import { testObjectKey } from '../../../src/actions/test-upload.js';
import { startCleanupWorker } from '../../../src/jobs/cleanup-worker.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { putObjects } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';
import { ADMIN, AUDIT_CHANNEL, deleteButtonValue, startActionsBot, STATUS_TS, type ActionsBot } from './bot.js';
import { PREFIX, seedCleanupBucket, TEST_TAGS, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

const STRANGER = 'U0STRANGER';

// `/s3 cleanup` through the real Bolt app: Cancel by whom, tampered Delete presses, and a Delete that keeps to its preview, on moto and Redis.
describeWithServices('cleanup: /s3 cleanup, Cancel and tampered Delete presses (moto, Redis, real Bolt app)', () => {
  let seed: CleanupSeed;
  let other: CleanupSeed;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;
  const prefixes = { queuePrefix: `test-cleanup-btn-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-btn-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    [seed, other] = await Promise.all([seedCleanupBucket('cleanup-buttons', { old: 12, recent: 5, outside: 6 }), seedCleanupBucket('cleanup-other', { old: 4, recent: 1, outside: 2 })]);
    const base = testConfig([{ name: seed.bucket }, { name: other.bucket }]);
    bot = await startActionsBot({ ...base, cleanup: { olderThanDays: 7, allowedUsers: [ADMIN], includeUnmarked: false, takeoverSeconds: 30 }, channels: { ...base.channels, audit: AUDIT_CHANNEL } }, prefixes);
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  async function slash(text: string, user?: string) {
    const { id, url } = bot.slack.responseUrl();
    const body = new URLSearchParams(slashCommandBody(text, url));
    if (user) body.set('user_id', user);
    const response = await postSigned(bot.eventsUrl, body.toString(), { signingSecret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    return bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
  }

  const jobCount = async () => Object.values(await bot.queue.getJobCounts()).reduce((a, b) => a + b, 0);
  const answerTo = (pressed: { responseId: string }) => bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === pressed.responseId);

  it('/s3 cleanup previews only old files of the test upload\'s form, says how many others it keeps, and seals its plan in both buttons', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const answer = await slash(`cleanup ${seed.bucket}`);
    expect(answer.body.response_type).toBe('in_channel');
    // The preview judges by key form (the untagged lookalike counts); the deletion checks each tag.
    expect(String(answer.body.text)).toContain('13 objects');
    const shown = JSON.stringify(answer.body.blocks);
    expect(shown).toContain('Only objects the test upload wrote');
    expect(shown).toContain("1 old object under the prefix is not the test upload's and will be kept");
    const actions = (answer.body.blocks as { type: string; elements?: Record<string, any>[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(actions[0]).toMatchObject({ action_id: 'cleanup_confirm', style: 'danger', confirm: { title: { text: 'Delete test files?' }, confirm: { text: 'Delete' } } });
    expect(actions[1]).toMatchObject({ action_id: 'cleanup_cancel', value: actions[0]!.value });
    // A preview deletes nothing.
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);

    // One more old test file, then the same question: a new listing, not the first preview reused.
    const late = testObjectKey(PREFIX, new Date(Date.now() - 20 * 86_400_000));
    await putObjects(seed.bucket, [{ key: late, size: 10, ageDays: 20, tags: TEST_TAGS }]);
    const again = await slash(`cleanup ${seed.bucket}`);
    expect(String(again.body.text)).toContain('14 objects');
    expect(JSON.stringify(again.body)).not.toMatch(/reused/);
    seed.oldKeys.push(late);
  }, 60_000);

  it('Cancel by someone who neither asked nor may confirm changes nothing and says who may; the requester may cancel', async () => {
    await bot.press('cleanup_preview', seed.bucket, { user: STRANGER });
    const preview = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('cleanup_cancel'), 30_000);
    const value = deleteButtonValue(preview.body.blocks)!;
    const before = await versionsLeft(s3, seed.bucket);

    const refused = await bot.press('cleanup_cancel', value, { user: 'U0BYSTANDER', messageBlocks: preview.body.blocks });
    const refusal = await answerTo(refused);
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(refusal.body.text)).toBe(`Only <@${STRANGER}>, who asked for it, or someone in \`cleanup.allowedUsers\` may cancel this preview; it stays as it is.`);

    // The person who asked is not an allowed user, yet may withdraw their own preview.
    const own = await bot.press('cleanup_cancel', value, { user: STRANGER, messageBlocks: preview.body.blocks });
    const cancelled = await answerTo(own);
    expect(cancelled.body).toMatchObject({ replace_original: true });
    expect(String(cancelled.body.text)).toBe(`Cleanup cancelled by <@${STRANGER}>; nothing was deleted.`);

    // A /s3 cleanup preview (possibly shared by several askers) is cancelled by allowed users only.
    const shared = deleteButtonValue((await slash(`cleanup ${seed.bucket}`, STRANGER)).body.blocks)!;
    const notTheirs = await answerTo(await bot.press('cleanup_cancel', shared, { user: STRANGER }));
    expect(String(notTheirs.body.text)).toMatch(/^Only someone in `cleanup.allowedUsers` may cancel this preview/);
    const byAdmin = await answerTo(await bot.press('cleanup_cancel', shared, { user: ADMIN }));
    expect(byAdmin.body).toMatchObject({ replace_original: true });

    expect(await jobCount()).toBe(0);
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);
  }, 60_000);

  it('a Delete whose value was edited (another bucket, prefix or cutoff) or belongs to another preview deletes nothing and says why', async () => {
    const beforeSeed = await versionsLeft(s3, seed.bucket);
    const beforeOther = await versionsLeft(s3, other.bucket);
    const preview = await slash(`cleanup ${seed.bucket}`);
    const value = deleteButtonValue(preview.body.blocks)!;
    const [body, mac] = value.split('.') as [string, string];
    const plan = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;

    for (const change of [{ bucket: other.bucket }, { prefix: '' }, { prefix: 'docs/' }, { cutoff: '2999-01-01T00:00:00.000Z' }, { keys: 1_000_000, includeUnmarked: true }]) {
      const tampered = `${Buffer.from(JSON.stringify({ ...plan, ...change })).toString('base64url')}.${mac}`;
      // The tampered value is also what the message carries: only the seal can tell.
      const blocks = JSON.parse(JSON.stringify(preview.body.blocks).replaceAll(value, tampered)) as unknown;
      const answer = await answerTo(await bot.press('cleanup_confirm', tampered, { user: ADMIN, messageBlocks: blocks }));
      expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(answer.body.text)).toMatch(/does not carry a cleanup plan this bot made.*nothing was deleted/);
    }
    // The old JSON form of the button, naming the other bucket.
    const oldForm = await answerTo(await bot.press('cleanup_confirm', JSON.stringify({ bucket: other.bucket, cutoff: '2999-01-01T00:00:00.000Z' }), { user: ADMIN, messageBlocks: preview.body.blocks }));
    expect(String(oldForm.body.text)).toMatch(/does not carry a cleanup plan this bot made/);

    // A genuine Delete of the other bucket's preview, pressed on this bucket's preview.
    const otherValue = deleteButtonValue((await slash(`cleanup ${other.bucket}`)).body.blocks)!;
    const misplaced = await answerTo(await bot.press('cleanup_confirm', otherValue, { user: ADMIN, messageBlocks: preview.body.blocks }));
    expect(String(misplaced.body.text)).toMatch(/does not match the preview it was pressed on; nothing was deleted/);
    // Each refused press is shown to the audit channel (after its answer), naming who pressed.
    const refusedAudits = () => bot.slack.callsOf('chat.postMessage').filter((c) => c.body.channel === AUDIT_CHANNEL && String(c.body.text).startsWith('Refused cleanup:'));
    await expect.poll(() => refusedAudits().length, { timeout: 10_000 }).toBe(7);
    const audits = refusedAudits();
    expect(audits.filter((c) => String(c.body.text).includes('carries no cleanup plan this bot sealed'))).toHaveLength(6);
    expect(audits.filter((c) => String(c.body.text).includes(`is not the one of the preview it was pressed on (its plan names \`${other.bucket}\`)`))).toHaveLength(1);
    expect(audits.every((c) => String(c.body.text).includes(`<@${ADMIN}>`))).toBe(true);

    expect(await jobCount()).toBe(0);
    expect(await versionsLeft(s3, seed.bucket)).toEqual(beforeSeed);
    expect(await versionsLeft(s3, other.bucket)).toEqual(beforeOther);
  }, 60_000);

  it('Delete on its own preview deletes that plan only: the old test files of this bucket, not the untagged ones nor the other bucket\'s', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const beforeOther = await versionsLeft(s3, other.bucket);
    const preview = await slash(`cleanup ${seed.bucket}`);
    const value = deleteButtonValue(preview.body.blocks)!;
    await bot.press('cleanup_confirm', value, { user: ADMIN, messageBlocks: preview.body.blocks });

    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const { s3: workerS3 } = createTestAwsClients();
    const worker = startCleanupWorker(
      { s3: workerS3, logger: silentLogger(), now: () => new Date(), messenger: tokenMessenger({ token: 'xoxb-test-token', apiUrl: bot.slack.apiUrl, purpose: 'background' }) },
      { connection, prefix: prefixes.queuePrefix },
    );
    try {
      const summary = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 60_000);
      expect(summary.body.ts).toBe(STATUS_TS);
      // The real file and the untagged lookalike.
      expect(String(summary.body.text)).toContain('2 old objects not written by the test upload were kept.');
    } finally {
      await worker.close();
      connection.disconnect();
      workerS3.destroy();
    }
    const after = await versionsLeft(s3, seed.bucket);
    expect(after).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
    expect(seed.unmarkedOldKeys.every((k) => after.get(k) === 1)).toBe(true);
    expect(seed.recentKeys.every((k) => after.get(k) === 1)).toBe(true);
    expect(seed.outsideKeys.every((k) => after.has(k))).toBe(true);
    expect(await versionsLeft(s3, other.bucket)).toEqual(beforeOther);
  }, 120_000);
});
