import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTestUpload } from '../../../src/actions/test-upload.js';
import { createAwsClients } from '../../../src/aws/clients.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, motoUrl, TEST_CREDENTIALS, TEST_REGION } from '../../helpers/services.js';
import { actionsConfig, startActionsBot, type ActionsBot } from './bot.js';
import { PREFIX } from './seed-cleanup.js';

// Run test upload on a bucket that keeps versions, through the real Bolt app, against moto.
describeWithServices('test upload on a versioned bucket (moto, real Bolt app)', () => {
  let bucket: string;
  let bot: ActionsBot;
  const s3 = createTestAwsClients().s3;

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('test-upload-ver'), { versioning: 'Enabled' });
    bot = await startActionsBot(actionsConfig(bucket), { queuePrefix: `test-upload-ver-${randomUUID().slice(0, 8)}`, keyPrefix: `test-upload-ver-${randomUUID().slice(0, 8)}:` });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    s3.destroy();
  });

  it('deletes the version it wrote: no version and no delete marker is left, and the report says Delete worked', async () => {
    await bot.press('test_upload', bucket);
    const done = await bot.slack.waitFor((c) => c.method === 'chat.update' && String(c.body.text).includes('Test upload to'), 30_000);
    expect(String(done.body.text)).toContain('worked');
    expect(JSON.stringify(done.body.blocks)).toMatch(/Delete: [\d.]+ m?s/);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: PREFIX }));
    expect(left.Versions ?? []).toEqual([]);
    expect(left.DeleteMarkers ?? []).toEqual([]);
  }, 60_000);

  it('when the write answers no version id, a delete that only adds a marker is reported as a failed Delete, not as done', async () => {
    // A proxy in front of moto drops the version id from write answers, as a gateway might.
    const target = new URL(motoUrl());
    const proxy: Server = createServer((req, res) => {
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const headers = { ...answer.headers };
        if (req.method === 'PUT') delete headers['x-amz-version-id'];
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = createAwsClients({ region: TEST_REGION, endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, logger: silentLogger(), credentials: { ...TEST_CREDENTIALS } });
    try {
      const result = await runTestUpload({ s3: proxied.s3, logger: silentLogger(), now: () => new Date() }, bucket, PREFIX, { sizeBytes: 1024, partSizeBytes: 5 * 1024 * 1024, deleteAfter: true, timeoutMs: 30_000 });
      expect(result.ok).toBe(false);
      expect(result.steps.at(-1)).toMatchObject({ name: 'delete', ok: false });
      expect(result.failure).toMatchObject({ step: 'delete' });
      expect(result.failure!.message).toMatch(/under a delete marker.*not really deleted/);
    } finally {
      proxied.release();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  }, 60_000);
});
