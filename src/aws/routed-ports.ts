/**
 * The ports over a fleet: each call about a bucket goes to the adapters of the bucket's account
 * and region, and metric queries are grouped by account and region, so each group is read in
 * ceil(queries ÷ 500) GetMetricData calls of its own.
 */
import { UserFacingError } from '../lib/errors.js';
import type { BucketPlaces } from './bucket-places.js';
import type { AwsPlace } from './clients.js';
import type { AccessLogPorts, AwsPorts, BucketFactsPort, CallOptions, CostPort, LogObjectsPort, ManagementEventsPort, MetricQuery, MetricSeries, MetricsPort, ObjectListingPort } from './ports.js';

/** The SDK adapters of one account and region. */
export interface PlaceAdapters {
  facts: BucketFactsPort;
  listing: ObjectListingPort;
  metrics: MetricsPort;
  logObjects: LogObjectsPort;
  trail: ManagementEventsPort;
}

export interface RoutedPortsOptions {
  places: BucketPlaces;
  /** Builds the adapters of a place; called once per place. */
  adaptersFor: (place: AwsPlace) => PlaceAdapters;
  costs: CostPort;
  accessLogs: Omit<AccessLogPorts, 'objects'>;
}

/** The dimension every S3 request and storage metric carries. */
const BUCKET_DIMENSION = 'BucketName';

/** Ports that send each bucket's calls to its own account and region. */
export function routedPorts(options: RoutedPortsOptions): AwsPorts {
  const { places } = options;
  const adapters = new Map<string, PlaceAdapters>();
  const adaptersOf = (place: AwsPlace): PlaceAdapters => {
    const key = placeKey(place);
    let found = adapters.get(key);
    if (!found) {
      found = options.adaptersFor(place);
      adapters.set(key, found);
    }
    return found;
  };
  /** Runs `call` on the bucket's adapters; an error from another account or region says where. */
  const onBucket = async <T>(bucket: string, callOptions: CallOptions, call: (a: PlaceAdapters, place: AwsPlace) => Promise<T>): Promise<T> => {
    const place = await places.placeOf(bucket, callOptions);
    try {
      return await call(adaptersOf(place), place);
    } catch (error) {
      throw places.isElsewhere(place) ? sayWhere(error, place) : error;
    }
  };

  const facts: BucketFactsPort = {
    getFacts: (bucket, callOptions = {}) =>
      onBucket(bucket, callOptions, async (a) => {
        const read = await a.facts.getFacts(bucket, callOptions);
        if (read.region) places.learnRegion(bucket, read.region);
        // S3 logs only to a bucket of the same account and region: the log bucket is read there.
        if (read.logging) places.adopt(read.logging.targetBucket, bucket);
        return read;
      }),
    exists: (bucket, callOptions = {}) => onBucket(bucket, callOptions, async (a) => (a.facts.exists ? a.facts.exists(bucket, callOptions) : true)),
  };
  const listing: ObjectListingPort = {
    listNewest: (bucket, listOptions) => onBucket(bucket, listOptions, (a) => a.listing.listNewest(bucket, listOptions)),
  };
  const logObjects: LogObjectsPort = {
    async *list(bucket, listOptions) {
      const place = await places.placeOf(bucket, listOptions);
      try {
        yield* adaptersOf(place).logObjects.list(bucket, listOptions);
      } catch (error) {
        throw places.isElsewhere(place) ? sayWhere(error, place) : error;
      }
    },
    read: (bucket, key, readOptions = {}) => onBucket(bucket, readOptions, (a) => a.logObjects.read(bucket, key, readOptions)),
  };
  // CloudTrail records a bucket's management events in the bucket's own account and region.
  const trail: ManagementEventsPort = {
    bucketEvents: (bucket, query, callOptions = {}) =>
      onBucket(bucket, callOptions, (a) => a.trail.bucketEvents(bucket, query, callOptions)),
  };
  const metrics: MetricsPort = {
    async getMetricData(queries, range, callOptions = {}) {
      const groups = new Map<string, { place: AwsPlace; queries: MetricQuery[] }>();
      const bucketsOf = [...new Set(queries.map(bucketOf))];
      const placed = new Map(await Promise.all(bucketsOf.map(async (b) => [b, b === undefined ? undefined : await places.placeOf(b, callOptions)] as const)));
      for (const query of queries) {
        const place = placed.get(bucketOf(query)) ?? { region: places.defaultRegion };
        const key = placeKey(place);
        const group = groups.get(key) ?? { place, queries: [] };
        group.queries.push(query);
        groups.set(key, group);
      }
      const answers = await Promise.all(
        [...groups.values()].map(async ({ place, queries: grouped }) => {
          try {
            return await adaptersOf(place).metrics.getMetricData(grouped, range, callOptions);
          } catch (error) {
            throw places.isElsewhere(place) ? sayWhere(error, place) : error;
          }
        }),
      );
      return new Map<string, MetricSeries>(answers.flatMap((answer) => [...answer.entries()]));
    },
  };
  return {
    placement: { placeOf: (bucket, callOptions) => places.placeOf(bucket, callOptions) },
    facts,
    listing,
    metrics,
    costs: options.costs,
    accessLogs: { ...options.accessLogs, objects: logObjects },
    trail,
  };
}

function bucketOf(query: MetricQuery): string | undefined {
  return query.dimensions.find((d) => d.name === BUCKET_DIMENSION)?.value;
}

/** `222222222222/eu-west-1`; the bot's own account is `-`. */
export function placeKey(place: AwsPlace): string {
  return `${place.account ?? '-'}/${place.region}`;
}

/** "account 222222222222, eu-west-1" or "eu-west-1": where a call went, for a person. */
export function describePlace(place: AwsPlace): string {
  return place.account ? `account ${place.account}, ${place.region}` : place.region;
}

/** The same error, its sentence saying which account and region answered it. */
function sayWhere(error: unknown, place: AwsPlace): unknown {
  if (!(error instanceof UserFacingError) || error.code === 'aws_credentials') return error;
  return new UserFacingError(error.code, `In ${describePlace(place)}: ${error.userMessage}`, { cause: error.cause ?? error });
}
