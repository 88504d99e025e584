import { describe, expect, it } from 'vitest';
import type { ManagementEventsPort } from '../../../src/aws/ports.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildStatus, gatherStatus } from '../../../src/reports/status.js';
import { morningOfChanges } from '../../fixtures/cloudtrail/trail-records.js';
import { NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { fakeMetrics } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';

/** A well-kept bucket after the morning's changes: Block Public Access partly off, versioning suspended, no default encryption. */
function loosenedFacts() {
  const facts = wellKeptFacts();
  return {
    ...facts,
    versioning: 'Suspended' as const,
    encryption: null,
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
  };
}

const statusWith = async (bucketEvents: ManagementEventsPort['bucketEvents']) =>
  buildStatus(await gatherStatus(fakePorts({ facts: loosenedFacts, metrics: fakeMetrics(() => []), trail: { bucketEvents } }), SURGICAL_BUCKET, NOW));

describe('/s3 status with CloudTrail', () => {
  it('shows the last change in one line and who introduced each finding, and when', async () => {
    const text = renderText((await statusWith(async () => morningOfChanges(NOW))).message);
    expect(text).toContain('Last change: default encryption removed, 2026-11-26 16:26 UTC by AWS service cloudformation.amazonaws.com (DeleteBucketEncryption)');
    const finding = (title: string) => text.slice(text.indexOf(title), text.indexOf('\n  ', text.indexOf(title) + 1) === -1 ? undefined : text.indexOf('Introduced', text.indexOf(title)) + 200);
    expect(finding('Block Public Access is off')).toContain('Introduced 2026-11-26 14:36 UTC by assumed-role Deploy/ci-1234: Block Public Access: BlockPublicPolicy on → off');
    expect(finding('Versioning is suspended')).toContain('Introduced 2026-11-26 16:06 UTC by root: versioning Enabled → Suspended');
    expect(finding('No default encryption')).toContain('Introduced 2026-11-26 16:26 UTC by AWS service cloudformation.amazonaws.com: default encryption removed');
  });

  it('a finding whose setting no change in the window touched says nothing of who', async () => {
    const text = renderText((await statusWith(async () => [])).message);
    expect(text).toContain('Last change: none in the last 7 days (CloudTrail)');
    expect(text).not.toContain('Introduced');
  });

  it('a CloudTrail that does not answer in time leaves the rest of the answer and is named', async () => {
    const report = await statusWith(async () => {
      throw new UserFacingError('aws_timeout', 'CloudTrail did not answer within 4 s (LookupEvents); try again in a minute.');
    });
    expect(report.data.unanswered).toEqual(['CloudTrail did not answer within 4 s (LookupEvents); try again in a minute.']);
    const text = renderText(report.message);
    expect(text).toContain('Versioning is suspended');
    expect(text).not.toContain('Last change');
  });

  it('a denied LookupEvents is said on the last-change line', async () => {
    const report = await statusWith(async () => {
      throw new UserFacingError('aws_access_denied', "AWS denied LookupEvents. Grant the bot's IAM role `cloudtrail:LookupEvents`.");
    });
    expect(renderText(report.message)).toContain("Last change: not known: AWS denied LookupEvents. Grant the bot's IAM role cloudtrail:LookupEvents.");
    expect(report.data.unanswered).toBeUndefined();
  });
});
