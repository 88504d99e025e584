/**
 * The real bot over HTTP, its AWS endpoint behind a fault proxy: where a command's sources are
 * independent, one that stalls leaves the other's part of the answer, and names what did not answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AWS_CALL_DEADLINE_MS, COMMAND_DEADLINE_MS } from '../../../src/aws/deadlines.js';
import { UPLOADS_FACTS_WAIT_MS } from '../../../src/reports/uploads.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import type { FaultProxy } from '../../helpers/fault-proxy.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { logObjects, putLogObjects } from '../access-logs/seed-logs.js';
import { startBotBehindProxy, type BotBehindProxy } from './bot-behind-proxy.js';

// Generous on a loaded 2-core machine: what matters is "within the deadline", not "after it".
const SLACK_MS = 4_000;
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';

describeWithServices('partial answers: errors and uploads with one source stalled', () => {
  const source = uniqueBucketName('partial-src');
  const logBucket = uniqueBucketName('partial-logs');
  let env: BotBehindProxy;
  let proxy: FaultProxy;
  const ask = (text: string) => env.ask(text, COMMAND_DEADLINE_MS + SLACK_MS * 3);

  beforeAll(async () => {
    await createBucket(source, { logging: { targetBucket: logBucket, targetPrefix: 'logs/', partitioned: false } });
    const now = Date.now();
    const lines = [40, 30].map((m) =>
      logLine({ bucket: source, at: new Date(now - m * 60_000), operation: 'REST.GET.OBJECT', key: 'private/hr.xlsx', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
    );
    const clients = createTestAwsClients();
    await putLogObjects(clients.s3, logBucket, logObjects({ sourceBucket: source, prefix: 'logs/', partitioned: false }, new Date(now - 20 * 60_000), lines));
    clients.release();
    env = await startBotBehindProxy([{ name: source, alias: 'docs' }]);
    ({ proxy } = env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  // First: the bucket's facts are kept a while once read, and this one must read them.
  it('with GetBucketLogging stalled, uploads answers from the listing within the deadline, naming S3', async () => {
    proxy.set({ kind: 'stall' }, ['s3'], new RegExp(`^GET /${source}/\\?logging=`));
    const answer = await ask('uploads docs --limit 3');
    expect(answer.text).toContain('From a listing of the bucket, not its access log.');
    expect(answer.text).toContain(`S3 did not answer within ${UPLOADS_FACTS_WAIT_MS / 1000} s (GetBucketLogging)`);
    expect(answer.ms).toBeLessThan(COMMAND_DEADLINE_MS + SLACK_MS);
  });

  // Each question is asked in a form of its own: a partial answer is never reused, but a whole one is.
  it('with CloudWatch stalled, errors shows the access log split and requesters, naming CloudWatch', async () => {
    proxy.set({ kind: 'stall' }, ['monitoring']);
    const answer = await ask('errors docs --since 1h');
    expect(answer.text).toContain('403 AccessDenied ×2');
    expect(answer.text).toContain('Contractor/laptop-7');
    expect(answer.text).toContain(`CloudWatch did not answer within ${AWS_CALL_DEADLINE_MS / 1000} s`);
    expect(answer.ms).toBeLessThan(COMMAND_DEADLINE_MS + SLACK_MS);
  });

  it('with the log bucket stalled, errors still answers from CloudWatch and names S3 for the split', async () => {
    proxy.set({ kind: 'stall' }, ['s3'], new RegExp(`^GET /${logBucket}`));
    const answer = await ask('errors docs --since 24h');
    expect(answer.text).toContain('Errors and latency: docs');
    expect(answer.text).toMatch(/The split of 4xx by status and requester is left out: .*S3 did not answer within \d+ s/);
    expect(answer.text).not.toContain('CloudWatch did not answer');
    expect(answer.ms).toBeLessThan(COMMAND_DEADLINE_MS + SLACK_MS);
  });

  it('once AWS answers again, errors and uploads answer whole from the access log', async () => {
    proxy.set({ kind: 'pass' });
    const errors = await ask('errors docs --since 1h');
    expect(errors.text).toContain('403 AccessDenied ×2');
    expect(errors.text).not.toContain('did not answer');
    const uploads = await ask('uploads docs --limit 3');
    expect(uploads.text).not.toContain('did not answer');
    expect(uploads.text).not.toContain('From a listing of the bucket');
  });
});
