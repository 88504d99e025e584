import { randomUUID } from 'node:crypto';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
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
});
