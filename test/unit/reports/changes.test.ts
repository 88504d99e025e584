import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../src/lib/errors.js';
import type { Message } from '../../../src/message/model.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildChanges, gatherChanges } from '../../../src/reports/changes.js';
import { toUserFacingError } from '../../../src/aws/errors.js';
import type { ManagementEventsPort } from '../../../src/aws/ports.js';
import { morningOfChanges } from '../../fixtures/cloudtrail/trail-records.js';
import { NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';
import { fakePorts } from '../../fixtures/reports/ports.js';

const WEEK = 7 * 86_400_000;

async function golden(name: string, message: Message): Promise<void> {
  await expect(`${JSON.stringify(renderSlack(message), null, 2)}\n`).toMatchFileSnapshot(`../../golden/${name}.slack.json`);
  await expect(renderText(message)).toMatchFileSnapshot(`../../golden/${name}.txt`);
}

const withTrail = (bucketEvents: ManagementEventsPort['bucketEvents']) => fakePorts({ trail: { bucketEvents } });

describe('/s3 changes', () => {
  it('lists who changed what, newest first, with attempts marked (golden)', async () => {
    const asked: { bucket: string; start: Date; end: Date }[] = [];
    const ports = withTrail(async (bucket, query) => {
      asked.push({ bucket, ...query });
      return morningOfChanges(NOW);
    });
    const report = buildChanges(await gatherChanges(ports, SURGICAL_BUCKET, NOW, { sinceMs: WEEK }));
    expect(asked).toEqual([{ bucket: SURGICAL_BUCKET.name, start: new Date(NOW.getTime() - WEEK), end: NOW }]);
    const text = renderText(report.message);
    expect(text).toContain('default encryption removed');
    expect(text).toContain('AWS service cloudformation.amazonaws.com');
    expect(text).toContain('versioning Enabled → Suspended');
    expect(text).toContain('attempt: PutBucketVersioning refused (AccessDenied)');
    expect(text).toContain('Block Public Access: BlockPublicPolicy on → off');
    expect(text).toContain('bucket policy now allows * to s3:GetObject');
    expect(text).toContain('lifecycle rule expire-test-files removed');
    expect(text).toContain('assumed-role Deploy/ci-1234');
    expect(text).toContain('Terraform 1.5.7');
    expect(report.data.changes.map((c) => c.call)).toEqual([
      'DeleteBucketEncryption',
      'PutBucketVersioning',
      'PutBucketVersioning',
      'PutBucketPolicy',
      'PutPublicAccessBlock',
      'PutBucketLifecycle',
      'PutBucketLifecycle',
      'PutPublicAccessBlock',
    ]);
    expect(report.data.changes[0]).toMatchObject({ who: 'AWS service cloudformation.amazonaws.com', changed: ['default encryption removed'], risks: ['encryption-removed'] });
    await golden('changes', report.message);
  });

  it('--who keeps one principal’s changes', async () => {
    const ports = withTrail(async () => morningOfChanges(NOW));
    const data = await gatherChanges(ports, SURGICAL_BUCKET, NOW, { sinceMs: WEEK, who: 'assumed-role Deploy/*' });
    expect(data.changes.map((c) => c.call)).toEqual(['PutBucketPolicy', 'PutPublicAccessBlock', 'PutBucketLifecycle', 'PutBucketLifecycle']);
    expect(renderText(buildChanges(data).message)).toContain('by assumed-role Deploy/*');
  });

  it('a denied LookupEvents names the missing permission instead of failing', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    const ports = withTrail(async () => {
      throw toUserFacingError(denied, { service: 'CloudTrail', operation: 'LookupEvents' });
    });
    const report = buildChanges(await gatherChanges(ports, SURGICAL_BUCKET, NOW, { sinceMs: WEEK }));
    expect(renderText(report.message)).toContain("AWS denied LookupEvents. Grant the bot's IAM role cloudtrail:LookupEvents.");
    expect(report.message.summary).toBe(`Changes to ${SURGICAL_BUCKET.alias} (${SURGICAL_BUCKET.name}): CloudTrail could not be read`);
  });

  it('a CloudTrail that does not answer in time is named, and the answer is partial', async () => {
    const ports = withTrail(async () => {
      throw new UserFacingError('aws_timeout', 'CloudTrail did not answer within 6 s (LookupEvents); try again in a minute.');
    });
    const report = buildChanges(await gatherChanges(ports, SURGICAL_BUCKET, NOW, { sinceMs: WEEK }));
    expect(report.data.unanswered).toEqual(['CloudTrail did not answer within 6 s (LookupEvents); try again in a minute.']);
    expect(renderText(report.message)).not.toContain('No configuration changes');
  });

  it('no changes says so', async () => {
    const report = buildChanges(await gatherChanges(withTrail(async () => []), SURGICAL_BUCKET, NOW, { sinceMs: 86_400_000 }));
    expect(renderText(report.message)).toContain('No configuration changes in the last 24h.');
  });
});
