import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeAws, fakeFeatures, WorkProbe } from './fake-features.js';
import { startTestBot, testConfig, type RunningBot } from './harness.js';

// What the receiver in front of Bolt carries for every event: the count a shutdown drains, and the
// request id on every line logged while the event is handled. Either one lost fails here.
const config = testConfig([{ name: 'docs-bucket', alias: 'docs' }]);

describe('events in flight through the real Bolt app', () => {
  let bot: RunningBot;
  let probe: WorkProbe;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    probe = new WorkProbe(config);
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    bot = await startTestBot({ config, features: fakeFeatures(probe), aws: fakeAws(), logger: createLogger({ level: 'debug', destination: out }) });
  });
  afterAll(async () => {
    probe.open();
    await bot?.stop();
  });

  it('counts a command from its acknowledgement until its answer is sent, so drain() waits for it', async () => {
    expect(await bot.bot.drain(1_000)).toBe(true);
    probe.close();
    const ack = await bot.command('status docs');
    // Acknowledged at once, while the command's work is still held.
    expect(ack.status).toBe(200);
    await waitFor(() => probe.count('status'), (runs) => expect(runs).toBe(1));
    expect(await bot.bot.drain(50)).toBe(false);

    let drained: boolean | undefined;
    const draining = bot.bot.drain(10_000).then((idle) => (drained = idle));
    await new Promise((r) => setImmediate(r));
    expect(drained).toBeUndefined();
    expect(bot.slack.responsesTo(ack.responseId)).toHaveLength(0);

    probe.open();
    expect(await draining).toBe(true);
    // Idle only once the answer owed through response_url has been delivered.
    expect(bot.slack.responsesTo(ack.responseId)).toHaveLength(1);
  });

  it('puts one request id on every line logged while a command is handled, a new one per command', async () => {
    lines.length = 0;
    // Two commands not asked before: a reused answer is acknowledged before Bolt and logs nothing.
    await bot.command('uploads docs');
    await bot.command('costs');
    await waitFor(() => lines.filter((l) => l.msg === 'fake command started'), (started) => expect(started).toHaveLength(2));
    const started = lines.filter((l) => l.msg === 'fake command started');
    const ids = started.map((l) => l.requestId);
    for (const id of ids) expect(id).toEqual(expect.stringMatching(/\S/));
    expect(new Set(ids).size).toBe(2);
    expect(await bot.bot.drain(10_000)).toBe(true);
    // Lines of the handling other than the command's own (Bolt's, the answer's) carry the same ids.
    const others = lines.filter((l) => l.msg !== 'fake command started' && l.requestId !== undefined);
    for (const line of others) expect(ids).toContain(line.requestId);
  });
});
