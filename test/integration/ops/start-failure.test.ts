import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { describeWithServices } from '../../helpers/services.js';
import { freePort } from '../../../src/lib/free-port.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./start-roles-child.ts', import.meta.url));
/** Generous on a loaded machine: starting tsx (the test's own child) alone can take seconds. */
const EXIT_BOUND_MS = 45_000;
/** Each test waits for at most one such process. */
const TEST_TIMEOUT_MS = EXIT_BOUND_MS + 15_000;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Whether anything accepted a TCP connection on the port while the process ran. */
  served: boolean;
}

/** Runs `args` under Node (a TypeScript entry through tsx, the build as it is) until it exits, trying the port all along. */
async function runUntilExit(args: string[], env: Record<string, string>, port: number): Promise<Finished> {
  const child = spawn(process.execPath, args[0]!.endsWith('.ts') ? ['--import', 'tsx', ...args] : args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', LOG_LEVEL: 'info', AWS_REGION: 'us-east-1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeout = setTimeout(() => child.kill('SIGKILL'), EXIT_BOUND_MS);
  let served = false;
  const probing = (async () => {
    while (running) {
      if (await accepts(port)) served = true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  const code = await exited;
  running = false;
  clearTimeout(timeout);
  await probing;
  return { code, stdout, stderr, served };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}


function configFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 's3-chatops-start-'));
  const file = join(dir, 's3-chatops.yml');
  writeFileSync(file, yaml);
  return file;
}

const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('s3-chatops start with a cron the configuration refuses', () => {
  it('exits 1 naming each wrong key, and never answers on its port', async () => {
    const port = await freePort();
    const file = configFile(['buckets:', '  - name: my-bucket', 'schedules:', '  alertEvaluation: "not a cron"', '  testUpload: "every hour"', ''].join('\n'));
    const run = await runUntilExit(['bin/s3-chatops.js', 'start', '--role', 'all'], { CONFIG_FILE: file, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-secret' }, port);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`${file}: schedules.alertEvaluation: "not a cron" is not a cron expression`);
    expect(run.stderr).toContain(`${file}: schedules.testUpload: "every hour" is not a cron expression`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.served).toBe(false);
  }, TEST_TIMEOUT_MS);

  it('exits 1 for an every-second alert evaluation before anything starts', async () => {
    const port = await freePort();
    const file = configFile(['buckets:', '  - name: my-bucket', 'schedules:', '  alertEvaluation: "* * * * * *"', ''].join('\n'));
    const run = await runUntilExit(['bin/s3-chatops.js', 'start', '--role', 'worker'], { CONFIG_FILE: file }, port);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('schedules.alertEvaluation: "* * * * * *" runs 60 times a minute');
    expect(logLines(run.stdout).map((l) => l.msg)).not.toContain('worker started');
    expect(run.served).toBe(false);
  }, TEST_TIMEOUT_MS);
});

describeWithServices(
  's3-chatops start --role all when a role cannot start',
  () => {
    let redis: PrivateRedis;
    let slack: FakeSlack;
    let file: string;
    beforeAll(async () => {
      redis = await startPrivateRedis();
      slack = await startFakeSlack();
      file = configFile(['buckets:', '  - name: my-bucket', ''].join('\n'));
    });
    afterAll(async () => {
      await slack?.stop();
      await redis?.destroy();
    });
    const env = () => ({ CONFIG_FILE: file, REDIS_URL: redis.url, SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-secret' });

    it('a worker that cannot start: one clear line, exit 1, and the bot never served', async () => {
      const port = await freePort();
      const run = await runUntilExit([CHILD], { ...env(), TEST_WORKER_CRON: 'every hour' }, port);
      expect(run.served).toBe(false);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const fatal = logLines(run.stdout).filter((l) => l.level === 60);
      expect(fatal).toEqual([expect.objectContaining({ role: 'worker', msg: 'the worker could not start; exiting with status 1', reason: expect.stringContaining('"every hour" is not a cron expression') })]);
      expect(logLines(run.stdout).map((l) => l.msg)).not.toContain('bot started');
    }, TEST_TIMEOUT_MS);

    it('a bot that cannot start (its port taken): exit 1 after stopping the worker it started', async () => {
      const taken: Server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      try {
        const run = await runUntilExit(['bin/s3-chatops.js', 'start', '--role', 'all'], env(), port);
        expect(run.code, run.stdout + run.stderr).toBe(1);
        const lines = logLines(run.stdout);
        expect(lines.filter((l) => l.level === 60)).toEqual([expect.objectContaining({ role: 'bot', msg: 'the bot could not start; exiting with status 1', reason: expect.stringContaining('EADDRINUSE') })]);
        expect(lines.map((l) => l.msg)).toContain('worker stopped');
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    }, TEST_TIMEOUT_MS);
  },
  ['redis'],
);
