import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { awsTestEnv, createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { SIGNING_SECRET } from '../slack/harness.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { ADMIN, AUDIT_CHANNEL, deleteButtonValue, pressButton, STATUS_TS } from './bot.js';
import { startRoleProcess, stopRoleProcess, type BotProcess } from '../ops/bot-process.js';
import { seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

/** Versions per DeleteObjects call: small, so the deletion is many batches long and a kill lands in the middle. */
const BATCH = 2;
/** The shortest takeover the configuration allows: the restarted process takes the job over about this long after the kill. */
const TAKEOVER_SECONDS = 5;

// `s3-chatops start --role all` (bot and worker in one process, as `npm start` runs it) on a Redis of
// its own, so the product's default queue and key names are the test's alone.
describeWithServices('cleanup survives the bot process being killed mid-deletion', () => {
  let seed: CleanupSeed;
  let slack: FakeSlack;
  let redis: PrivateRedis;
  let env: Record<string, string>;
  const running: BotProcess[] = [];
  const s3 = createTestAwsClients().s3;

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup-kill', { old: 400, recent: 10, outside: 20 });
    slack = await startFakeSlack();
    redis = await startPrivateRedis();
    const configFile = join(mkdtempSync(join(tmpdir(), 's3-chatops-kill-')), 's3-chatops.yml');
    writeFileSync(
      configFile,
      [`buckets:`, `  - name: ${seed.bucket}`, `channels:`, `  audit: ${AUDIT_CHANNEL}`, `cleanup:`, `  olderThanDays: 7`, `  allowedUsers: [${ADMIN}]`, `  batchSize: ${BATCH}`, `  takeoverSeconds: ${TAKEOVER_SECONDS}`, ''].join('\n'),
    );
    env = {
      ...awsTestEnv(),
      CONFIG_FILE: configFile,
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: 'xoxb-kill-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
  }, 300_000);

  afterAll(async () => {
    for (const product of running) await stopRoleProcess(product, 'SIGKILL');
    await redis?.destroy();
    await slack?.stop();
    s3.destroy();
  });

  async function start(): Promise<BotProcess> {
    const product = await startRoleProcess('all', env);
    running.push(product);
    return product;
  }

  const progressOf = (text: unknown) => {
    const match = /([\d,]+) of ([\d,]+) versions deleted/.exec(String(text));
    return match ? { deleted: Number(match[1]!.replace(/,/g, '')), total: Number(match[2]!.replace(/,/g, '')) } : undefined;
  };

  it('a restarted process finishes the deletion the killed one started, deleting exactly the old test files and their versions', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const first = await start();
    const events = `http://127.0.0.1:${first.port}/slack/events`;

    await pressButton(events, slack, 'cleanup_preview', seed.bucket);
    const preview = await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('cleanup_confirm'), 30_000);
    const confirmed = await pressButton(events, slack, 'cleanup_confirm', deleteButtonValue(preview.body.blocks)!, { messageBlocks: preview.body.blocks });
    expect(confirmed.status).toBe(200);

    // The first progress edit that shows versions deleted: the deletion is under way. Kill the process there.
    const edit = await slack.waitFor((c) => c.method === 'chat.update' && (progressOf(c.body.text)?.deleted ?? 0) > 0, 60_000);
    await stopRoleProcess(first, 'SIGKILL');
    const shown = progressOf(edit.body.text)!;
    expect(shown.total).toBe(seed.oldVersions);
    expect(edit.body.ts).toBe(STATUS_TS);

    // Killed part way: some old test versions are gone, some are left, and nothing else was touched.
    const midway = await versionsLeft(s3, seed.bucket);
    const oldLeft = seed.oldKeys.reduce((n, key) => n + (midway.get(key) ?? 0), 0);
    expect(oldLeft).toBeGreaterThan(0);
    expect(oldLeft).toBeLessThan(seed.oldVersions);
    expect(slack.calls.some((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'))).toBe(false);
    for (const [key, count] of before) if (!seed.oldKeys.includes(key)) expect(midway.get(key)).toBe(count);

    // Started again, the process takes the job over once the dead one's lock lapses, and finishes it.
    await start();
    const summary = await slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 180_000);
    expect(summary.body.ts).toBe(STATUS_TS);
    const deleted = Number(/([\d,]+) versions deleted/.exec(String(summary.body.text))![1]!.replace(/,/g, ''));
    // Counting resumes from the recorded progress: a batch deleted just before the kill but not yet recorded is not counted.
    expect(deleted).toBeLessThanOrEqual(seed.oldVersions);
    expect(deleted).toBeGreaterThanOrEqual(seed.oldVersions - BATCH);

    const after = await versionsLeft(s3, seed.bucket);
    expect(after).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
    const audits = slack.callsOf('chat.postMessage').filter((c) => c.body.channel === AUDIT_CHANNEL && String(c.body.text).startsWith('Cleanup:'));
    expect(audits).toHaveLength(1);
    expect(String(audits[0]!.body.text)).toContain(`<@${ADMIN}>`);
  }, 300_000);
});
