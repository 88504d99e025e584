import { describe, expect, it } from 'vitest';
import { AwsServiceHealth, awsServiceLabel } from '../../../src/aws/service-health.js';

describe('AwsServiceHealth', () => {
  it('counts a service as timing out from its timeout until it answers again, or the window passes', () => {
    let now = 1_000_000;
    const health = new AwsServiceHealth(() => now, 60_000);
    expect(health.timingOut()).toEqual([]);
    health.recordAnswer('aws_s3');
    health.recordTimeout('aws_cloudwatch');
    health.recordTimeout('aws_s3');
    expect(health.timingOut()).toEqual(['aws_s3', 'aws_cloudwatch']);
    now += 1_000;
    health.recordAnswer('aws_s3');
    expect(health.timingOut()).toEqual(['aws_cloudwatch']);
    now += 60_001;
    expect(health.timingOut()).toEqual([]);
  });

  it('labels the SDK clients by name', () => {
    expect(awsServiceLabel('S3Client')).toBe('aws_s3');
    expect(awsServiceLabel('CloudWatchClient')).toBe('aws_cloudwatch');
    expect(awsServiceLabel('CostExplorerClient')).toBe('aws_cost_explorer');
    expect(awsServiceLabel('CloudTrailClient')).toBe('aws_cloudtrail');
    expect(awsServiceLabel('STSClient')).toBeUndefined();
  });
});
