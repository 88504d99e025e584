import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTestUpload } from '../../../src/actions/test-upload.js';
import { testUploadMessage } from '../../../src/actions/test-upload-message.js';
import { renderText } from '../../../src/render/text/index.js';
import { createAwsClients } from '../../../src/aws/clients.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { Registry } from 'prom-client';
import { createTestAwsClients, describeWithServices, motoUrl, TEST_CREDENTIALS, TEST_REGION } from '../../helpers/services.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/harness.js';
import { actionsConfig, startActionsBot, STATUS_TS, type ActionsBot } from './bot.js';
import { startPolicyProxy } from './policy-proxy.js';

const PREFIX = '_s3-chatops/test/';
const MiB = 1024 * 1024;

describeWithServices('test upload against moto', () => {
  let bucket: string;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('test-upload'));
    bot = await startActionsBot(actionsConfig(bucket), { queuePrefix: `test-upload-${randomUUID().slice(0, 8)}`, keyPrefix: `test-upload-${randomUUID().slice(0, 8)}:` });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  it('Run test upload answers in the status message thread with each step and its time, records the metrics and leaves nothing behind', async () => {
    await bot.press('test_upload', bucket);
    const running = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('Running a test upload'));
    expect(running.body.thread_ts).toBe(STATUS_TS);
    const done = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).includes('Test upload to'), 30_000);
    const shown = JSON.stringify(done.body.blocks);
    expect(String(done.body.text)).toContain('worked');
    for (const step of ['Write', 'Read back', 'Verify SHA-256', 'Delete']) expect(shown).toMatch(new RegExp(`${step}: \\d+ ms|${step}: [\\d.]+ s`));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX }));
    expect(listed.KeyCount ?? 0).toBe(0);
    const metrics = await bot.registry.metrics();
    expect(metrics).toMatch(/utility_operations_total\{operation="s3_upload",status="success"\} 1/);
    expect(metrics).toMatch(/s3_upload_duration_seconds_count\{status="success"\} 1/);
    expect(metrics).toMatch(/utility_operations_total\{operation="s3_test_upload",status="success"\} 1/);
  }, 60_000);

  it('/s3 test answers in the channel through response_url with the steps', async () => {
    const { id, url } = bot.slack.responseUrl();
    const response = await postSigned(bot.eventsUrl, slashCommandBody(`test ${bucket}`, url), { signingSecret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    const answer = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
    expect(answer.body.response_type).toBe('in_channel');
    expect(String(answer.body.text)).toContain('worked');
  }, 60_000);

  it('two /s3 test in a row run two uploads: the second answer is a new upload, not the first one reused', async () => {
    const uploads = async () => Number(/utility_operations_total\{operation="s3_upload",status="success"\} (\d+)/.exec(await bot.registry.metrics())?.[1] ?? 0);
    const ask = async () => {
      const { id, url } = bot.slack.responseUrl();
      const response = await postSigned(bot.eventsUrl, slashCommandBody(`test ${bucket}`, url), { signingSecret: SIGNING_SECRET });
      expect(response.status).toBe(200);
      return bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === id, 30_000);
    };
    const before = await uploads();
    const first = await ask();
    const second = await ask();
    expect(await uploads()).toBe(before + 2);
    const keyOf = (answer: { body: Record<string, unknown> }) => new RegExp(`\`(${PREFIX}[^\`]+)\``).exec(JSON.stringify(answer.body.blocks))?.[1];
    expect(keyOf(first)).toBeDefined();
    expect(keyOf(second)).toBeDefined();
    expect(keyOf(second)).not.toBe(keyOf(first));
    expect(JSON.stringify(second.body)).not.toMatch(/reused/);
    expect(String(second.body.text)).toContain('worked');
  }, 90_000);

  it('a write that succeeds and a read-back that does not match: s3_upload counts the write a success, s3_test_upload the test a failure', async () => {
    const registry = new Registry();
    const tampered = createTestAwsClients().s3;
    // The bytes read back are not the ones written, as if the object changed in between.
    tampered.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'GetObjectCommand') (out.output as { Body: unknown }).Body = Readable.from([Buffer.from('not what was written')]);
        return out;
      },
      { step: 'initialize', name: 'tamperBody' },
    );
    try {
      const result = await runTestUpload({ s3: tampered, logger: silentLogger(), now: () => new Date(), monitor: new S3Monitor({ registry }) }, bucket, PREFIX, { sizeBytes: 1024, partSizeBytes: 5 * MiB, deleteAfter: true, timeoutMs: 30_000 });
      expect(result.ok).toBe(false);
      expect(result.failure).toMatchObject({ step: 'verify', reason: 'checksum' });
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/utility_operations_total\{operation="s3_upload",status="success"\} 1/);
      // Every status is counted from 0, so "not counted" reads as a 0.
      expect(metrics).toMatch(/utility_operations_total\{operation="s3_upload",status="failure"\} 0\n/);
      expect(metrics).toMatch(/utility_operations_total\{operation="s3_test_upload",status="failure"\} 1/);
      expect(metrics).toMatch(/utility_operations_total\{operation="s3_test_upload",status="success"\} 0\n/);
    } finally {
      tampered.destroy();
    }
  }, 60_000);

  it('writes a file over the part size as a multipart upload, tagged s3-chatops=test', async () => {
    const result = await runTestUpload({ s3, logger: silentLogger(), now: () => new Date() }, bucket, PREFIX, { sizeBytes: 12 * MiB, partSizeBytes: 5 * MiB, deleteAfter: false, timeoutMs: 60_000 });
    expect(result).toMatchObject({ ok: true, multipart: true, sizeBytes: 12 * MiB });
    expect(result.steps.map((s) => s.name)).toEqual(['write', 'read', 'verify']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: result.key }));
    expect(head.ContentLength).toBe(12 * MiB);
    expect(head.ETag).toMatch(/-3"$/); // three parts
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: result.key }));
    expect(tags.TagSet).toEqual([{ Key: 's3-chatops', Value: 'test' }]);
  }, 120_000);

  it('fails at the write step with a message saying the bucket policy denies PutObject', async () => {
    const name = uniqueBucketName('test-upload-deny');
    await createBucket(name, { policy: { Version: '2012-10-17', Statement: [{ Sid: 'NoWrites', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/*` }] } });
    const proxy = await startPolicyProxy(motoUrl(), s3);
    const proxied = createAwsClients({ region: TEST_REGION, endpoint: proxy.url, logger: silentLogger(), credentials: { ...TEST_CREDENTIALS } });
    try {
      const result = await runTestUpload({ s3: proxied.s3, logger: silentLogger(), now: () => new Date() }, name, PREFIX, { sizeBytes: 1024, partSizeBytes: 5 * MiB, deleteAfter: true, timeoutMs: 30_000 });
      expect(result.ok).toBe(false);
      expect(result.failure).toMatchObject({ step: 'write', reason: 'bucket-policy' });
      expect(result.failure!.message).toMatch(/bucket policy of `.+` denies PutObject/);
      expect(result.steps).toEqual([expect.objectContaining({ name: 'write', ok: false })]);
      const shown = renderText(testUploadMessage(result, 'denied'), { color: false });
      expect(shown).toMatch(/failed at the write step/);
      expect(shown).toMatch(/bucket policy of .+ denies PutObject/);
    } finally {
      proxied.release();
      await proxy.stop();
    }
  }, 60_000);
});
