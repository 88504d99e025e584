import { afterEach, describe, expect, it } from 'vitest';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { THREAD_FALLBACK_NOTE } from '../../../src/slack/threaded.js';
import { fakePorts } from '../../unit/cli/fakes.js';
import { startTestBot, testConfig, type RunningBot } from './harness.js';
import { elapse, waitFor } from '../../helpers/wait.js';

// `/s3 digest` for a fleet past a screenful: response_url cannot start a thread, so the bot posts
// the main message to the channel and the per-bucket detail under it.
const CHANNEL = 'C2147483705'; // the channel of the slash-command fixture
const fleet = Array.from({ length: 23 }, (_, i) => ({ name: `fleet-bucket-${String(i).padStart(2, '0')}` }));

describe('/s3 digest with many buckets', () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  async function start(): Promise<RunningBot> {
    const config = testConfig(fleet);
    bot = await startTestBot({ config, features: defaultSlackFeatures(config), aws: fakePorts() });
    return bot;
  }

  it('posts the summary to the channel and every bucket once in its thread', async () => {
    const running = await start();
    const ack = await running.command('digest');
    expect(ack.status).toBe(200);
    const main = await running.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === undefined, 20_000);
    expect(main.body.channel).toBe(CHANNEL);
    const replies = await waitForReplies(running, fleet.map((b) => b.name));
    expect(replies.every((r) => r.body.channel === CHANNEL && typeof r.body.thread_ts === 'string')).toBe(true);
    const replyTexts = replies.map((r) => JSON.stringify(r.body.blocks));
    for (const b of fleet) expect(replyTexts.filter((t) => t.includes(b.name)), b.name).toHaveLength(1);
    // Nothing went to response_url: the answer is the channel message.
    expect(running.slack.calls.filter((c) => c.method === 'respond')).toEqual([]);
  });

  it('answers through response_url with a note when the bot may not post in the channel', async () => {
    const running = await start();
    running.slack.failWith('chat.postMessage', 'not_in_channel');
    const ack = await running.command('digest');
    const answer = await running.slack.waitFor((c) => c.responseId === ack.responseId, 20_000);
    expect(JSON.stringify(answer.body)).toContain('/invite @s3-chatops');
    expect(THREAD_FALLBACK_NOTE).toContain('/invite');
    expect(running.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts !== undefined)).toEqual([]);
  });
});

async function waitForReplies(running: RunningBot, buckets: string[]): Promise<RunningBot['slack']['calls']> {
  const replies = () => running.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts !== undefined);
  // The replies follow the main message one by one, until every bucket has been named in one.
  const all = (calls: ReturnType<typeof replies>) => JSON.stringify(calls.map((c) => c.body.blocks));
  await waitFor(replies, (r) => expect(buckets.filter((b) => !all(r).includes(b))).toEqual([]), { timeoutMs: 20_000 });
  // A little longer: a reply posted twice would arrive now (an absence only a wait shows).
  await elapse(300);
  return replies();
}
