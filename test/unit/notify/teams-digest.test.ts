import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { processDigestJob, type DigestJobConfig, type DigestJobDeps } from '../../../src/jobs/digest-job.js';
import { MemoryDigestLedger } from '../../../src/jobs/digest-ledger.js';
import type { DigestPoster } from '../../../src/jobs/digest-poster.js';
import type { DigestReport } from '../../../src/reports/digest/types.js';
import { digestConfig, fleetPorts, NOW } from '../reports/digest-fixtures.js';

function setup(channel: string | null, slackFails = false) {
  const fleet = fleetPorts(3);
  const config: DigestJobConfig = { ...digestConfig(fleet.buckets), channels: channel ? { digest: channel } : {}, schedules: { timezone: 'UTC', digestTime: '09:00' } };
  const slackPosts: string[] = [];
  const poster: DigestPoster = {
    async post(_channel, message) {
      if (slackFails) throw new Error('Slack is down');
      slackPosts.push(message.summary);
      return { ts: `1700000000.00000${slackPosts.length}` };
    },
  };
  const queued: { slot: string; report: DigestReport }[] = [];
  const deps: DigestJobDeps = { config, aws: fleet.ports, poster, ledger: new MemoryDigestLedger(), now: () => NOW, logger: silentLogger(), teams: { digest: async (slot, report) => void queued.push({ slot, report }) } };
  return { deps, slackPosts, queued };
}

describe('the digest job with a Teams webhook', () => {
  it('queues the same digest for Teams that it posts to Slack', async () => {
    const { deps, slackPosts, queued } = setup('C0DIGEST');
    await processDigestJob(deps, { slot: '2026-11-26' });
    expect(queued).toHaveLength(1);
    expect(queued[0]!.slot).toBe('2026-11-26');
    expect(queued[0]!.report.main.summary).toBe(slackPosts[0]);
  });

  it('queues it for Teams before Slack is tried, so a Slack failure does not hold Teams back', async () => {
    const { deps, queued } = setup('C0DIGEST', true);
    await expect(processDigestJob(deps, { slot: '2026-11-26' })).rejects.toThrow('Slack is down');
    expect(queued).toHaveLength(1);
  });

  it('goes to Teams alone when no Slack digest channel is set', async () => {
    const { deps, slackPosts, queued } = setup(null);
    await processDigestJob(deps, { slot: '2026-11-26' });
    expect(slackPosts).toEqual([]);
    expect(queued).toHaveLength(1);
  });
});
