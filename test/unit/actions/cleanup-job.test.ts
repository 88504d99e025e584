import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { CleanupProgress } from '../../../src/actions/cleanup-executor.js';
import type { TeamsCardEditor, TeamsCardRef } from '../../../src/actions/cleanup-start.js';
import type { ActionMessenger, SlackMessageRef } from '../../../src/actions/slack-messenger.js';
import type { Message } from '../../../src/message/model.js';
import { processCleanupJob, type CleanupJobData } from '../../../src/jobs/cleanup-job.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { fakeS3, PREFIX } from './fake-cleanup-s3.js';

const MESSAGE: SlackMessageRef = { channel: 'C0STATUS', ts: '1700000000.000100' };
// The fake's keys are not the test upload's: includeUnmarked lets the job reach them.
const DATA: CleanupJobData = { bucket: 'docs-bucket', label: 'docs', prefix: PREFIX, cutoff: '2026-11-19T00:00:00.000Z', includeUnmarked: true, user: 'U0ADMIN', message: MESSAGE };

/** What processCleanupJob uses of a BullMQ job: its data, progress and updateProgress. */
function fakeJob(data: CleanupJobData) {
  const job = {
    id: 'cleanup-1',
    data,
    progress: 0 as unknown,
    opts: { attempts: 5 },
    attemptsMade: 0,
    recorded: [] as CleanupProgress[],
    async updateProgress(progress: CleanupProgress) {
      job.progress = progress;
      job.recorded.push(progress);
    },
  };
  return job;
}

function recordingMessenger() {
  const updates: Message[] = [];
  const messenger: ActionMessenger = {
    async post() {
      return MESSAGE;
    },
    async update(_ref, message) {
      updates.push(message);
    },
  };
  return { messenger, updates };
}

describe('processCleanupJob', () => {
  it('edits the message with progress at most once per interval, however many batches finish in it', async () => {
    let now = 1_000_000;
    // Twelve versions in batches of two: six batches. The clock stands still for the first three and
    // moves one interval before the fourth.
    const { s3, deleteCalls } = fakeS3(12, new Set(), (call) => {
      if (call === 4) now += 3_000;
    });
    const { messenger, updates } = recordingMessenger();
    const job = fakeJob(DATA);
    const result = await processCleanupJob({ s3, logger: silentLogger(), messenger, now: () => new Date(now), clock: () => now, progressEveryMs: 3_000, batchSize: 2 }, job as unknown as Job<CleanupJobData>);

    expect(deleteCalls).toEqual([2, 2, 2, 2, 2, 2]);
    // Every batch is recorded for a restart, whatever is shown.
    expect(job.recorded.filter((p) => !p.done).map((p) => p.deleted)).toEqual([2, 4, 6, 8, 10, 12]);
    const progressEdits = updates.filter((m) => m.summary.startsWith('Deleting old test files'));
    expect(progressEdits.map((m) => m.summary.match(/(\d+) of 12 versions deleted/)?.[1])).toEqual(['2', '8']);
    // Then the summary, once.
    expect(updates.at(-1)!.summary).toMatch(/^Cleaned up docs: 12 versions deleted/);
    expect(updates).toHaveLength(3);
    expect(result).toMatchObject({ deleted: 12, done: true, failedCount: 0 });
  });

  it('a job whose recorded progress is done deletes nothing more and edits nothing', async () => {
    const { s3, deleteCalls } = fakeS3(12);
    const { messenger, updates } = recordingMessenger();
    const job = fakeJob(DATA);
    job.progress = { deleted: 12, bytes: 120, total: 12, batches: 1, failures: [], failedCount: 0, done: true } satisfies CleanupProgress;
    await processCleanupJob({ s3, logger: silentLogger(), messenger, now: () => new Date() }, job as unknown as Job<CleanupJobData>);
    expect(deleteCalls).toEqual([]);
    expect(updates).toEqual([]);
  });

  it('a cleanup confirmed in Teams edits its card with the same progress and summary, and a refused edit never stops the deletion', async () => {
    const card: TeamsCardRef = { serviceUrl: 'https://smba.trafficmanager.net/teams/', conversationId: '19:ops@thread.tacv2;messageid=1', activityId: 'card-1' };
    const { s3, deleteCalls } = fakeS3(6);
    const edits: { ref: TeamsCardRef; message: Message }[] = [];
    const teamsCards: TeamsCardEditor = {
      async update(ref, message) {
        edits.push({ ref, message });
        // Teams refuses the first edit (the first batch's progress).
        if (edits.length === 1) throw new Error('the Bot Connector answered 500');
      },
    };
    const { message: _slackMessage, ...confirmedInTeams } = DATA;
    const job = fakeJob({ ...confirmedInTeams, user: 'teams:0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b', teamsCard: card });
    const result = await processCleanupJob({ s3, logger: silentLogger(), teamsCards, now: () => new Date(), progressEveryMs: 60_000, batchSize: 2 }, job as unknown as Job<CleanupJobData>);

    expect(deleteCalls).toEqual([2, 2, 2]);
    expect(result).toMatchObject({ deleted: 6, done: true });
    expect(edits.every((e) => e.ref === card)).toBe(true);
    expect(edits.map((e) => e.message.summary)).toEqual([expect.stringMatching(/^Deleting old test files from docs .*: 2 of 6 versions deleted/), expect.stringMatching(/^Cleaned up docs: 6 versions deleted/)]);
  });
});
