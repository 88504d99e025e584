// SIGTERM ends every role within the README's 20 s bound whatever Redis is doing: down (nothing
// listens) or frozen (connections accepted, nothing answered); and with AWS or Slack stalled while
// a command is in flight. The roles run as the real command
// line, `s3-chatops start --role <role>`, in a child process. The three roles run side by side, each
// on a bucket, a Redis and a fake Slack of its own; the cases of one role run one after another.
// Side by side, each case asserts with its own test's `expect` (vitest's rule for concurrent tests).
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { startFrozenRedisProxy, type FrozenTcpProxy } from '../../helpers/frozen-tcp.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, motoUrl } from '../../helpers/services.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/harness.js';
import { startBotProcess, type BotProcess, type Role } from './bot-process.js';
import { freePort } from '../../../src/lib/free-port.js';

/** The README's shutdown bound, plus room for a loaded 2-core machine to schedule the exit. */
const BOUND_MS = 20_000;
const MARGIN_MS = 5_000;

describeWithServices('bounded shutdown', () => {
  for (const role of ['bot', 'worker', 'all'] as const) describeRole(role);
});

/** The four cases of one role: Redis down, Redis frozen, AWS stalled, Slack stalled. */
function describeRole(role: Role): void {
  describe.concurrent(`--role ${role}`, () => {
    const bucket = uniqueBucketName(`shutdown-bound-${role}`);
    let slack: FakeSlack;
    let running: BotProcess | undefined;
    let proxy: (FrozenTcpProxy & { url: string }) | undefined;
    // A Redis of the role's own: a worker started with the product's default queue and key names
    // on the shared Redis would take up alert changes other test files leave there.
    let redis: PrivateRedis;

    beforeAll(async () => {
      await createBucket(bucket);
      slack = await startFakeSlack();
      redis = await startPrivateRedis();
    });
    let awsProxy: FaultProxy | undefined;
    afterEach(async () => {
      if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
      running = undefined;
      await proxy?.stop();
      proxy = undefined;
      await awsProxy?.stop();
      awsProxy = undefined;
      for (const method of ['respond', 'chat.postMessage', 'chat.update']) slack.resume(method);
    });
    afterAll(async () => {
      await slack?.stop();
      await redis?.destroy();
    });

    let stderr = '';
    /** Starts this role's process on the Redis at `redisAt`. */
    const start = async (redisAt: string, env: Record<string, string> = {}) => {
      const proc = await startBotProcess({ ...awsTestEnv(), SLACK_BOT_TOKEN: 'xoxb-shutdown-bound', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, REDIS_URL: redisAt, ...env }, [{ name: bucket, alias: 'docs' }], role);
      stderr = '';
      proc.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return proc;
    };
    /** The error lines a process logged or printed after it started, to say why it did not exit 0. */
    const errorsOf = (proc: BotProcess): unknown[] => [...proc.logs.filter((l) => Number(l.level) >= 50).map((l) => l.msg), ...(stderr.trim() ? [stderr.trim()] : [])];

    /** Asks the process `/s3 <text>` as Slack does, answering through a response_url of the fake Slack; resolves once acknowledged. */
    const askProcess = async (proc: BotProcess, text: string): Promise<{ id: string; status: number }> => {
      const { id, url } = slack.responseUrl();
      const ack = await postSigned(`http://127.0.0.1:${proc.port}/slack/events`, slashCommandBody(text, url), { signingSecret: SIGNING_SECRET });
      return { id, status: ack.status };
    };

    /** Sends SIGTERM and resolves with the exit code and how long the exit took. */
    async function terminate(proc: BotProcess): Promise<{ code: number; ms: number }> {
      const sent = Date.now();
      proc.child.kill('SIGTERM');
      const code = await Promise.race([proc.exited, new Promise<number>((resolve) => setTimeout(() => resolve(-1), BOUND_MS + MARGIN_MS + 10_000))]);
      return { code, ms: Date.now() - sent };
    }

    it.sequential(`--role ${role} with Redis down exits within the bound`, async ({ expect }) => {
      running = await start(`redis://127.0.0.1:${await freePort()}`);
      const { code, ms } = await terminate(running);
      // A graceful stop, not the bound's forced exit: every close step gave up in time.
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
      expect(running.logs.some((l) => l.msg === 'stopping' || l.msg === 'stopping bot and worker')).toBe(true);
    }, 120_000);

    it.sequential(`--role ${role} with Redis frozen exits within the bound`, async ({ expect }) => {
      proxy = await startFrozenRedisProxy(redis.url);
      running = await start(proxy.url);
      // Up and talking to Redis first, then Redis stops answering on the connections it has.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      proxy.freeze();
      const { code, ms } = await terminate(running);
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
    }, 120_000);

    it.sequential(`--role ${role} with AWS stalled${role === 'worker' ? '' : ' and a command waiting on it'} exits within the bound`, async ({ expect }) => {
      awsProxy = await new FaultProxy(motoUrl()).start();
      running = await start(redis.url, { AWS_ENDPOINT_URL: awsProxy.url });
      awsProxy.set({ kind: 'stall' });
      // The bot's command is held by AWS; the worker's AWS clients face the same stalled endpoint.
      if (role !== 'worker') {
        expect((await askProcess(running, 'status docs')).status).toBe(200);
        await expect.poll(() => awsProxy!.faulted, { timeout: 10_000 }).toBeGreaterThan(0);
      }
      const { code, ms } = await terminate(running);
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
    }, 120_000);

    it.sequential(`--role ${role} with Slack stalled${role === 'worker' ? '' : ' and an answer waiting on it'} exits within the bound`, async ({ expect }) => {
      running = await start(redis.url);
      for (const method of ['respond', 'chat.postMessage', 'chat.update']) slack.stall(method);
      // The bot's answer is held by Slack; the worker's Slack clients face the same stalled API.
      if (role !== 'worker') {
        const asked = await askProcess(running, 'uploads docs');
        expect(asked.status).toBe(200);
        await slack.waitFor((c) => c.responseId === asked.id, 20_000);
      }
      const { code, ms } = await terminate(running);
      expect({ code, ms: ms < BOUND_MS + MARGIN_MS, errors: errorsOf(running) }).toEqual({ code: 0, ms: true, errors: [] });
    }, 120_000);
  });
}
