// `npm start`, as the README runs the bot, under SIGTERM: the signal reaches the node process that
// listens, which stops within the bound; nothing is left answering on the port.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { SIGNING_SECRET } from '../slack/harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describeWithServices('npm start under SIGTERM', () => {
  let slack: FakeSlack;
  let stopLeftovers: (() => void) | undefined;
  // `npm start` runs the worker too: on a Redis of its own, so it takes up no other test file's alert changes.
  let redis: PrivateRedis;

  beforeAll(async () => {
    // `npm start` runs bin/s3-chatops.js, which runs the build: the global setup brought it up to date.
    slack = await startFakeSlack();
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    stopLeftovers?.();
    await slack?.stop();
    await redis?.destroy();
  });

  it('stops the listening process, not only npm, and frees the port', async () => {
    const bucket = await createBucket(uniqueBucketName('npm-start'));
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-npm-'));
    writeFileSync(join(dir, 's3-chatops.yml'), `buckets:\n  - name: ${bucket}\n`);
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: dir, PORT: '0', LOG_LEVEL: 'info', CONFIG_FILE: join(dir, 's3-chatops.yml'), ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-npm-start', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redis.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));

    await expect.poll(() => /"msg":"bot started"/.test(out), { timeout: 60_000, interval: 200 }).toBe(true);
    const pid = Number(/"pid":(\d+)[^\n]*"msg":"bot started"/.exec(out)?.[1]);
    const port = Number(/"port":(\d+)[^\n]*"msg":"bot started"/.exec(out)?.[1]);
    // If the listener outlives npm, the test must not leave it behind.
    stopLeftovers = () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const sent = Date.now();
    npm.kill('SIGTERM');
    await exited;
    // The process that listened is gone within the shutdown bound, and the port answers no more.
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answering', () => 'refused'), { timeout: 25_000, interval: 250 }).toBe('refused');
    await expect.poll(() => alive(pid), { timeout: 25_000, interval: 250 }).toBe(false);
    expect(Date.now() - sent).toBeLessThan(25_000);
    expect(out).toMatch(/"msg":"bot stopped"/);
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
