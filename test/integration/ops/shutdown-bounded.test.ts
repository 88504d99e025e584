// SIGTERM ends every role within the README's 20 s bound whatever Redis is doing: down (nothing
// listens) or frozen (connections accepted, nothing answered). The roles run as the real command
// line, `s3-chatops start --role <role>`, in a child process.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFrozenRedisProxy, type FrozenTcpProxy } from '../../helpers/frozen-tcp.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { SIGNING_SECRET } from '../slack/harness.js';
import { startBotProcess, type BotProcess, type Role } from './bot-process.js';

/** The README's shutdown bound, plus room for a loaded 2-core machine to schedule the exit. */
const BOUND_MS = 20_000;
const MARGIN_MS = 5_000;

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithServices('bounded shutdown', () => {
  const bucket = uniqueBucketName('shutdown-bound');
  let slack: FakeSlack;
  let running: BotProcess | undefined;
  let proxy: (FrozenTcpProxy & { url: string }) | undefined;

  beforeAll(async () => {
    await createBucket(bucket);
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    running = undefined;
    await proxy?.stop();
    proxy = undefined;
  });
  afterAll(async () => {
    await slack?.stop();
  });

  let stderr = '';
  const start = async (role: Role, redis: string) => {
    const proc = await startBotProcess({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-shutdown-bound', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redis }, [{ name: bucket, alias: 'docs' }], role);
    stderr = '';
    proc.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return proc;
  };
  /** The error lines a process logged or printed after it started, to say why it did not exit 0. */
  const errorsOf = (proc: BotProcess): unknown[] => [...proc.logs.filter((l) => Number(l.level) >= 50).map((l) => l.msg), ...(stderr.trim() ? [stderr.trim()] : [])];

  /** Sends SIGTERM and resolves with the exit code and how long the exit took. */
  async function terminate(proc: BotProcess): Promise<{ code: number; ms: number }> {
    const sent = Date.now();
    proc.child.kill('SIGTERM');
    const code = await Promise.race([proc.exited, new Promise<number>((resolve) => setTimeout(() => resolve(-1), BOUND_MS + MARGIN_MS + 10_000))]);
    return { code, ms: Date.now() - sent };
  }

  for (const role of ['bot', 'worker', 'all'] as const) {
    it(`--role ${role} with Redis down exits within the bound`, async () => {
      running = await start(role, `redis://127.0.0.1:${await unusedPort()}`);
      const { code, ms } = await terminate(running);
      // A graceful stop, not the bound's forced exit: every close step gave up in time.
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
      expect(running.logs.some((l) => l.msg === 'stopping' || l.msg === 'stopping bot and worker')).toBe(true);
    }, 120_000);

    it(`--role ${role} with Redis frozen exits within the bound`, async () => {
      proxy = await startFrozenRedisProxy(redisUrl());
      running = await start(role, proxy.url);
      // Up and talking to Redis first, then Redis stops answering on the connections it has.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      proxy.freeze();
      const { code, ms } = await terminate(running);
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
    }, 120_000);
  }
});
