import { paginateLookupEvents, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import type { Pacer } from '../lib/local-pacer.js';
import { withCallDeadline } from './deadlines.js';
import { toUserFacingError } from './errors.js';
import type { CallOptions, ManagementEventsPort, TrailQuery, TrailRecord } from './ports.js';

/** LookupEvents answers at most 50 events a page. */
export const LOOKUP_PAGE_SIZE = 50;
/** CloudTrail allows 2 LookupEvents requests a second per account and region. */
export const LOOKUP_REQUESTS_PER_SECOND = 2;
/** The most events one question reads (40 pages): a bucket's configuration changes, not its traffic. */
export const LOOKUP_EVENT_BUDGET = 2_000;

/**
 * Reads a bucket's management events with LookupEvents, following every page with the SDK's
 * paginator; each request first takes a slot of `pacer` (2 a second, shared by every process on
 * the account and region), so many buckets asked at once are spread out rather than throttled.
 */
export class CloudTrailManagementEvents implements ManagementEventsPort {
  constructor(
    private readonly cloudTrail: CloudTrailClient,
    private readonly pacer: Pacer,
  ) {}

  /** Every management event naming the bucket as a resource between `start` and `end`, newest first. */
  async bucketEvents(bucket: string, query: TrailQuery, options: CallOptions = {}): Promise<TrailRecord[]> {
    const target = { service: 'CloudTrail', operation: 'LookupEvents' } as const;
    return withCallDeadline(
      target,
      options,
      async (sdk) => {
        const records: TrailRecord[] = [];
        await this.pacer.wait(sdk.abortSignal);
        const pages = paginateLookupEvents(
          { client: this.cloudTrail, pageSize: LOOKUP_PAGE_SIZE },
          { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: bucket }], StartTime: query.start, EndTime: query.end },
          sdk,
        );
        for await (const page of pages) {
          for (const event of page.Events ?? []) {
            const record = toRecord(event);
            if (record) records.push(record);
          }
          if (!page.NextToken || records.length >= LOOKUP_EVENT_BUDGET) break;
          // The paginator asks for the next page only when the loop comes round: the slot comes first.
          await this.pacer.wait(sdk.abortSignal);
        }
        return records.sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
      },
      (error) => toUserFacingError(error, target),
    );
  }
}

function toRecord(event: Event): TrailRecord | undefined {
  if (!event.CloudTrailEvent || !event.EventTime) return undefined;
  return { eventId: event.EventId ?? '', eventName: event.EventName ?? '', eventTime: event.EventTime, record: event.CloudTrailEvent };
}
