/**
 * The real bot over HTTP, its AWS endpoint behind a fault proxy: `/s3 test` and `/s3 cleanup` are
 * cancelled at the command's deadline, say which step did not answer, leave nothing running, and
 * a test upload cut after its write deletes what it wrote.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMAND_DEADLINE_MS } from '../../../src/aws/deadlines.js';
import type { FaultProxy } from '../../helpers/fault-proxy.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { startBotBehindProxy, type BotBehindProxy } from './bot-behind-proxy.js';

// Generous on a loaded 2-core machine: what matters is "at the deadline", not "minutes later".
const SLACK_MS = 4_000;
const SECONDS = COMMAND_DEADLINE_MS / 1000;

describeWithServices('/s3 test and /s3 cleanup with S3 stalled: cancelled at the deadline, and free again after', () => {
  const bucket = uniqueBucketName('action-deadline');
  const clients = createTestAwsClients();
  let env: BotBehindProxy;
  let proxy: FaultProxy;
  const ask = (text: string) => env.ask(text, COMMAND_DEADLINE_MS + SLACK_MS * 3);
  const testKeys = async (): Promise<string[]> => ((await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: '_s3-chatops/test/' }))).Contents ?? []).map((o) => o.Key!);

  beforeAll(async () => {
    await createBucket(bucket);
    env = await startBotBehindProxy([{ name: bucket, alias: 'docs' }]);
    ({ proxy } = env);
  });
  afterAll(async () => {
    await env?.stop();
    clients.release();
  });

  it('with S3 stalled, /s3 test names the write step cancelled at the deadline, and says the object may be left', async () => {
    proxy.set({ kind: 'stall' }, ['s3']);
    const answer = await ask('test docs');
    expect(answer.text).toContain('failed at the write step');
    expect(answer.text).toContain(`did not finish within the command's ${SECONDS} s: the write step (PutObject`);
    expect(answer.text).toContain('may be left under the test prefix');
    expect(answer.text).not.toContain('The answer was not ready');
    expect(answer.ms).toBeLessThan(COMMAND_DEADLINE_MS + SLACK_MS);
  });

  it('with S3 stalled, /s3 cleanup names ListObjectVersions as not answering within the deadline', async () => {
    const answer = await ask('cleanup docs');
    expect(answer.text).toContain(`S3 did not answer within ${SECONDS} s (ListObjectVersions)`);
    expect(answer.ms).toBeLessThan(COMMAND_DEADLINE_MS + SLACK_MS);
  });

  it('with only the read-back stalled, the test upload is cut at the read step and deletes what it wrote', async () => {
    proxy.set({ kind: 'pass' });
    const before = await testKeys();
    proxy.set({ kind: 'stall' }, ['s3'], /^GET \/[^?]+\/_s3-chatops\/test\/[^?]+\?x-id=GetObject/);
    const answer = await ask('test docs');
    expect(answer.text).toContain('failed at the read step');
    expect(answer.text).toContain('the read step (GetObject');
    expect(answer.text).toContain('Whatever it had written was deleted.');
    proxy.set({ kind: 'pass' });
    expect(await testKeys()).toEqual(before);
  });

  it('once S3 answers again, /s3 test and /s3 cleanup answer normally, with no restart', async () => {
    proxy.set({ kind: 'pass' });
    const upload = await ask('test docs');
    expect(upload.text).toContain('worked');
    const cleanup = await ask('cleanup docs');
    expect(cleanup.text).not.toContain('did not answer');
  });
});
