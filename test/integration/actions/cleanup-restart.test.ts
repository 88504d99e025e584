import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CleanupProgress } from '../../../src/actions/cleanup-executor.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { actionsConfig, deleteButtonValue, startActionsBot, type ActionsBot } from './bot.js';
import { seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

const CHILD = fileURLToPath(new URL('./cleanup-worker-child.ts', import.meta.url));
const BATCH = 20;

describeWithServices('cleanup survives the worker process being killed mid-deletion', () => {
  let seed: CleanupSeed;
  let bot: ActionsBot;
  const children: ChildProcess[] = [];
  const s3 = createTestAwsClients().s3;
  const prefixes = { queuePrefix: `test-cleanup-kill-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-kill-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup-kill', { old: 800, recent: 10, outside: 10 });
    bot = await startActionsBot(actionsConfig(seed.bucket), prefixes);
  }, 300_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await bot?.stop();
    s3.destroy();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...awsTestEnv(), REDIS_URL: redisUrl(), QUEUE_PREFIX: prefixes.queuePrefix, SLACK_API_URL: bot.slack.apiUrl, CLEANUP_BATCH_SIZE: String(BATCH) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  }

  it('a second worker process finishes the deletion the killed one started, deleting exactly the old test files', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    await bot.press('cleanup_preview', seed.bucket);
    const preview = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('cleanup_confirm'), 30_000);
    await bot.press('cleanup_confirm', deleteButtonValue(preview.body.blocks)!);
    const [job] = await waitFor(async () => {
      const jobs = await bot.queue.getJobs(['waiting', 'active']);
      return jobs.length === 1 ? jobs : undefined;
    });

    const first = startWorker();
    // Kill it once it has recorded some progress and before it is done.
    const partial = await waitFor(async () => {
      const progress = (await bot.queue.getJob(job!.id!))?.progress as CleanupProgress | undefined;
      return progress && typeof progress === 'object' && progress.deleted > 0 ? progress : undefined;
    }, 60_000, 20);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(partial.done).toBe(false);
    expect(partial.deleted).toBeLessThan(seed.oldVersions);
    const midway = await versionsLeft(s3, seed.bucket);
    expect(seed.oldKeys.some((key) => midway.has(key))).toBe(true);

    startWorker();
    const finished = await waitFor(async () => {
      const current = await bot.queue.getJob(job!.id!);
      return current && (await current.getState()) === 'completed' ? current : undefined;
    }, 120_000);
    const result = finished.returnvalue as CleanupProgress;
    // Counting resumes from the recorded progress; a batch deleted just before the kill but not yet recorded is not counted twice.
    expect(result.deleted).toBeGreaterThan(partial.deleted);
    expect(result.deleted).toBeLessThanOrEqual(seed.oldVersions);
    expect(result.deleted).toBeGreaterThanOrEqual(seed.oldVersions - BATCH);

    const after = await versionsLeft(s3, seed.bucket);
    expect(after).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
    const summary = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).startsWith('Cleaned up'), 10_000);
    expect(summary.body.channel).toBeDefined();
  }, 300_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}
