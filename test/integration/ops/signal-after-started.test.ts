/**
 * A role that has said it started is stopped by its own handler on SIGTERM: whoever waits for the
 * "started" line (a supervisor, a test) may signal at once, and the process must then stop
 * gracefully and exit 0, not die by the signal's default action because its handler came later.
 * The roles run in process, with Redis down as in the bounded-shutdown test that once saw a worker
 * killed by the SIGTERM it was sent right after "worker started".
 */
import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { startRoles } from '../../../src/cli/start-roles.js';
import { startBot } from '../../../src/main.js';
import { createLogger } from '../../../src/lib/logger.js';
import { startFakeSlack } from '../../helpers/fake-slack.js';
import { testConfig } from '../../helpers/config.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { waitFor } from '../../helpers/wait.js';
import { freePort } from '../../../src/lib/free-port.js';


/** A logger that notes, as each `started` line is written, whether a SIGTERM handler more than `before` is in place. */
function watchingLogger(started: string[]) {
  const before = process.listenerCount('SIGTERM');
  const seen: Array<{ msg: string; handled: boolean }> = [];
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as { msg: string };
      lines.push(line.msg);
      if (started.includes(line.msg)) seen.push({ msg: line.msg, handled: process.listenerCount('SIGTERM') > before });
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), seen, lines };
}

describeWithServices('SIGTERM right after a role said it started', () => {
  const exits: number[] = [];
  afterEach(async () => {
    // A handler left behind would take the next test's signal.
    if (exits.length === 0) process.emit('SIGTERM', 'SIGTERM');
    await waitFor(() => exits.length > 0);
    exits.length = 0;
  });

  const config = async () => {
    const slack = await startFakeSlack();
    return { slack, config: testConfig([{ name: 'signal-after-started', alias: 'docs' }], { ...awsTestEnv(), REDIS_URL: `redis://127.0.0.1:${await freePort()}`, SLACK_API_URL: slack.apiUrl }) };
  };

  for (const role of ['worker', 'all'] as const) {
    it(`start --role ${role}: the handler is in place when the role says it started, and the signal stops it with exit 0`, async () => {
      const { slack, config: cfg } = await config();
      try {
        const names = role === 'all' ? ['worker started', 'bot started'] : ['worker started'];
        const { logger, seen, lines } = watchingLogger(names);
        await startRoles(role, cfg, logger, undefined, { exit: (code) => exits.push(code) });
        expect(seen).toEqual(names.map((msg) => ({ msg, handled: true })));
        process.emit('SIGTERM', 'SIGTERM');
        await waitFor(() => exits, (codes) => expect(codes).toEqual([0]), { timeoutMs: 25_000 });
        expect(lines).toContain(role === 'all' ? 'stopping bot and worker' : 'stopping');
      } finally {
        await slack.stop();
      }
    }, 40_000);
  }

  it('start --role bot: the handler is in place when the bot says it started, and the signal stops it with exit 0', async () => {
    const { slack, config: cfg } = await config();
    try {
      const { logger, seen } = watchingLogger(['bot started']);
      await startBot(cfg, logger, { port: 0, exit: (code) => exits.push(code) });
      expect(seen).toEqual([{ msg: 'bot started', handled: true }]);
      process.emit('SIGTERM', 'SIGTERM');
      await waitFor(() => exits, (codes) => expect(codes).toEqual([0]), { timeoutMs: 25_000 });
    } finally {
      await slack.stop();
    }
  }, 40_000);
});
