import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import type { Message } from '../../../src/message/model.js';
import { digestJobFor, digestJobId, processDigestJob, type DigestJobConfig, type DigestJobDeps } from '../../../src/jobs/digest-job.js';
import { MemoryDigestLedger } from '../../../src/jobs/digest-ledger.js';
import type { DigestPoster } from '../../../src/jobs/digest-poster.js';
import { digestConfig, fleetPorts, NOW } from '../reports/digest-fixtures.js';

/** A poster that records posts and fails the calls whose (1-based) numbers are in `failOn`. */
function fakePoster(failOn: number[] = []) {
  const posts: { channel: string; summary: string; threadTs?: string; ts: string }[] = [];
  let calls = 0;
  const poster: DigestPoster = {
    async post(channel: string, message: Message, threadTs?: string) {
      calls += 1;
      if (failOn.includes(calls)) throw new Error(`Slack is down (call ${calls})`);
      const ts = `1700000000.${String(posts.length).padStart(6, '0')}`;
      posts.push({ channel, summary: message.summary, ...(threadTs ? { threadTs } : {}), ts });
      return { ts };
    },
  };
  return { poster, posts };
}

function deps(buckets: number, poster: DigestPoster, ledger = new MemoryDigestLedger(), channel: string | null = 'C0DIGEST') {
  const fleet = fleetPorts(buckets);
  const config: DigestJobConfig = {
    ...digestConfig(fleet.buckets),
    channels: channel ? { digest: channel } : {},
    schedules: { timezone: 'America/New_York', digestTime: '09:00' },
  };
  const d: DigestJobDeps = { config, aws: fleet.ports, poster, ledger, now: () => NOW, logger: silentLogger() };
  return { deps: d, fleet, ledger };
}

describe('processDigestJob', () => {
  it('posts the main message to the digest channel, then every thread reply under it, in order', async () => {
    const { poster, posts } = fakePoster();
    const { deps: d } = deps(25, poster);
    const result = await processDigestJob(d, { slot: '2026-11-26' });
    expect(posts).toHaveLength(4);
    expect(posts[0]).toMatchObject({ channel: 'C0DIGEST', summary: expect.stringMatching(/^S3 daily digest 2026-11-26: 25 buckets/) });
    expect(posts[0]!.threadTs).toBeUndefined();
    expect(posts.slice(1).map((p) => p.threadTs)).toEqual([posts[0]!.ts, posts[0]!.ts, posts[0]!.ts]);
    expect(posts.slice(1).map((p) => p.summary.replace(/^.*, /, ''))).toEqual(['buckets 1–10 of 25', 'buckets 11–20 of 25', 'buckets 21–25 of 25']);
    expect(result).toEqual({ slot: '2026-11-26', channel: 'C0DIGEST', mainTs: posts[0]!.ts, posted: 4, replies: 3 });
  });

  it('after a failure part-way, a retry posts only what is missing, under the same parent, with the same figures', async () => {
    const { poster, posts } = fakePoster([3]);
    const { deps: d, fleet } = deps(25, poster);
    await expect(processDigestJob(d, { slot: '2026-11-26' })).rejects.toThrow(/Slack is down/);
    expect(posts).toHaveLength(2);
    const retried = await processDigestJob(d, { slot: '2026-11-26' });
    expect(retried.posted).toBe(2);
    expect(posts).toHaveLength(4);
    expect(posts.filter((p) => p.threadTs === undefined)).toHaveLength(1);
    expect(new Set(posts.map((p) => p.summary)).size).toBe(4);
    expect(posts.slice(1).every((p) => p.threadTs === posts[0]!.ts)).toBe(true);
    // The digest was gathered once: the retry posted what the first attempt built.
    expect(fleet.metrics.calls).toHaveLength(1);
  });

  it('a retry after everything was posted posts nothing', async () => {
    const { poster, posts } = fakePoster();
    const { deps: d } = deps(1, poster);
    await processDigestJob(d, { slot: '2026-11-26' });
    const again = await processDigestJob(d, { slot: '2026-11-26' });
    expect(posts).toHaveLength(1);
    expect(again).toMatchObject({ posted: 0, mainTs: posts[0]!.ts });
  });

  it('a new slot posts a new digest', async () => {
    const { poster, posts } = fakePoster();
    const { deps: d } = deps(1, poster);
    await processDigestJob(d, { slot: '2026-11-26' });
    await processDigestJob(d, { slot: '2026-11-27' });
    expect(posts).toHaveLength(2);
  });

  it('fails for good, posting nothing, when no digest channel is configured', async () => {
    const { poster, posts } = fakePoster();
    const { deps: d } = deps(1, poster, new MemoryDigestLedger(), null);
    const attempt = processDigestJob(d, { slot: '2026-11-26' });
    await expect(attempt).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(attempt).rejects.toThrow(/channels\.digest/);
    expect(posts).toHaveLength(0);
  });

  it('fails before posting anything when the ledger cannot be read, so a retry starts clean', async () => {
    const { poster, posts } = fakePoster();
    const ledger = new MemoryDigestLedger();
    ledger.posted = async () => {
      throw new Error('Redis is unreachable');
    };
    const { deps: d } = deps(1, poster, ledger);
    await expect(processDigestJob(d, { slot: '2026-11-26' })).rejects.toThrow(/Redis/);
    expect(posts).toHaveLength(0);
  });
});

describe('digestJobFor', () => {
  it('names the job by the local day, the same for every tick that day and different the next', () => {
    const schedules = { schedules: { timezone: 'Europe/London', digestTime: '09:00' } };
    const a = digestJobFor(new Date('2026-10-25T09:00:00Z'), schedules);
    const b = digestJobFor(new Date('2026-10-25T09:00:30Z'), schedules);
    const c = digestJobFor(new Date('2026-10-26T09:00:00Z'), schedules);
    expect(a.opts.jobId).toBe(digestJobId('2026-10-25'));
    expect(b.opts.jobId).toBe(a.opts.jobId);
    expect(c.opts.jobId).toBe('digest-2026-10-26');
    expect(a.data).toEqual({ slot: '2026-10-25' });
    expect(a.opts.jobId).not.toContain(':');
  });
});
