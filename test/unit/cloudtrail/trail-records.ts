/** CloudTrail records as LookupEvents returns them, for unit tests of the parsing. */
import type { TrailRecord } from '../../../src/aws/ports.js';

let next = 0;

/** A record of `eventName` at `time` with the given fields of the event JSON. */
export function trailRecord(eventName: string, time: Date, fields: Record<string, unknown> = {}): TrailRecord {
  next += 1;
  const event = {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice', accountId: '123456789012' },
    eventTime: time.toISOString(),
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-2',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    requestParameters: { bucketName: 'surgical-docs' },
    readOnly: false,
    eventType: 'AwsApiCall',
    ...fields,
  };
  return { eventId: `event-${next}`, eventName, eventTime: time, record: JSON.stringify(event) };
}

/** A time `minutes` after a fixed start. */
export function at(minutes: number): Date {
  return new Date(Date.UTC(2026, 11, 3, 9, 0) + minutes * 60_000);
}
