import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tokenMessenger } from '../../../src/actions/slack-messenger.js';
import { startCleanupWorker } from '../../../src/jobs/cleanup-worker.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { putObjects } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/harness.js';
import { actionsConfig, ADMIN, AUDIT_CHANNEL, deleteButtonValue, startActionsBot, type ActionsBot } from './bot.js';
import { PREFIX, seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

// A key S3 cannot name in a DeleteObjects body (XML 1.0 has no control characters), old, under the prefix.
const CONTROL_KEY = `${PREFIX}scan\u0001\u001b]0;owned\u0007\u001b[2J.bin`;

// cleanup.includeUnmarked on, through the real Bolt app and the worker, on moto and Redis.
describeWithServices('cleanup with cleanup.includeUnmarked, and a key with control characters (moto, Redis, real Bolt app)', () => {
  let seed: CleanupSeed;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;
  const prefixes = { queuePrefix: `test-cleanup-unm-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-unm-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup-unmarked', { old: 30, recent: 3, outside: 4 });
    await putObjects(seed.bucket, [{ key: CONTROL_KEY, size: 10, ageDays: 30 }]);
    const config = actionsConfig(seed.bucket);
    bot = await startActionsBot({ ...config, cleanup: { ...config.cleanup, includeUnmarked: true } }, prefixes);
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  it('the preview says every old object under the prefix goes; Delete removes the untagged ones too, the control-character key one at a time, and the summary lists it', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    expect(before.get(CONTROL_KEY)).toBe(1);
    const { id, url } = bot.slack.responseUrl();
    expect((await postSigned(bot.eventsUrl, slashCommandBody(`cleanup ${seed.bucket}`, url), { signingSecret: SIGNING_SECRET })).status).toBe(200);
    const preview = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
    const inScope = seed.oldKeys.length + seed.unmarkedOldKeys.length + 1;
    expect(String(preview.body.text)).toContain(`${inScope} objects`);
    expect(JSON.stringify(preview.body.blocks)).toContain('`cleanup.includeUnmarked` is on: every old object under');

    let deleteObjectsCalls = 0;
    const { s3: workerS3 } = createTestAwsClients();
    workerS3.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'DeleteObjectsCommand') deleteObjectsCalls += 1;
      return next(args);
    }, { step: 'initialize', name: 'countDeleteObjects' });
    await bot.press('cleanup_confirm', deleteButtonValue(preview.body.blocks)!, { user: ADMIN, messageBlocks: preview.body.blocks });
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const worker = startCleanupWorker(
      { s3: workerS3, logger: silentLogger(), now: () => new Date(), messenger: tokenMessenger({ token: 'xoxb-test-token', apiUrl: bot.slack.apiUrl, purpose: 'background' }) },
      { connection, prefix: prefixes.queuePrefix },
    );
    let summary;
    try {
      summary = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 60_000);
    } finally {
      await worker.close();
      connection.disconnect();
      workerS3.destroy();
    }
    // One DeleteObjects for the rest (the batch is not refused whole, nor retried), the key alone by DeleteObject.
    expect(deleteObjectsCalls).toBe(1);
    expect(String(summary.body.text)).toMatch(/^Cleaned up /);
    expect(JSON.stringify(summary.body.blocks)).toContain('1 key deleted one at a time');
    expect(JSON.stringify(summary.body.blocks)).toContain('scan');

    const after = await versionsLeft(s3, seed.bucket);
    const gone = new Set([...seed.oldKeys, ...seed.unmarkedOldKeys, CONTROL_KEY]);
    expect(after).toEqual(new Map([...before].filter(([key]) => !gone.has(key))));
    expect(seed.recentKeys.every((k) => after.get(k) === 1)).toBe(true);
    expect(seed.outsideKeys.every((k) => after.has(k))).toBe(true);
    const audit = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === AUDIT_CHANNEL && String(c.body.text).startsWith('Cleanup:'), 10_000);
    expect(String(audit.body.text)).not.toContain('failure');
  }, 120_000);
});
