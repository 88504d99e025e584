import pLimit from 'p-limit';
import type { Config } from '../config/load.js';
import type { Redis } from 'ioredis';
import type { CachePort } from '../lib/cache.js';
import { LocalPacer, sharedOrLocal, type Pacer } from '../lib/local-pacer.js';
import type { Logger } from '../lib/logger.js';
import { RedisPacer } from '../lib/redis-pacer.js';
import { S3BucketFacts } from './bucket-facts.js';
import { BucketPlaces } from './bucket-places.js';
import { CachedCosts } from './cached-costs.js';
import { CachedManagementEvents } from './cached-trail.js';
import { CloudTrailManagementEvents, LOOKUP_REQUESTS_PER_SECOND } from './cloudtrail-events.js';
import type { AwsClients, AwsPlace } from './clients.js';
import { CloudWatchMetrics } from './cloudwatch-metrics.js';
import { CostExplorerCosts } from './cost-explorer.js';
import { fleetCosts } from './fleet-costs.js';
import { placeKey, routedPorts } from './routed-ports.js';
import { S3LogObjects } from './log-objects.js';
import { S3ObjectListing } from './object-listing.js';
import type { AwsPorts, CostPort } from './ports.js';

export interface CreateAwsPortsOptions {
  clients: AwsClients;
  cache: CachePort;
  /** The buckets and accounts place each call; without them every bucket is the bot's own account's, its region found. */
  config: Pick<Config, 'costs'> & Partial<Pick<Config, 'buckets' | 'accounts'>>;
  logger: Logger;
  now: () => Date;
  /** Shared with the actions and links of the same process; built from `config` when absent. */
  places?: BucketPlaces;
  /** The pace of CloudTrail for one account and region, shared by every process (`cloudTrailPacer`); absent: this process alone. */
  trailPacer?: (place: AwsPlace) => Pacer;
}

/**
 * The pace of LookupEvents for one account and region, shared through Redis by every bot and
 * worker process; while Redis fails, the process paces itself alone.
 */
export function cloudTrailPacer(redis: Redis, scope: string, place: AwsPlace, logger: Logger): Pacer {
  // The bot's own account keeps the key it always had, so processes of both versions share one pace.
  const where = place.account ? `${place.account}:${place.region}` : place.region;
  const shared = new RedisPacer(redis, `s3-chatops:pace:cloudtrail:${scope}:${where}`, LOOKUP_REQUESTS_PER_SECOND);
  return sharedOrLocal(shared, new LocalPacer(LOOKUP_REQUESTS_PER_SECOND), (error) => logger.warn({ err: error }, 'CloudTrail pace unreadable in Redis; pacing this process alone'));
}

/** Log objects read at once by all the access-log windows of one process together. */
export const ACCESS_LOG_READS_AT_ONCE = 8;

/**
 * Wires the SDK adapters into the ports the reports read: each bucket's calls go to its own
 * account and region, metrics are read in one batch per account and region, and Cost Explorer
 * is cached (per account, or once from the payer account).
 */
export function createAwsPorts(options: CreateAwsPortsOptions): AwsPorts {
  const { clients, cache, config, logger, now } = options;
  const { factory } = clients;
  const places = options.places ?? new BucketPlaces(factory, config.buckets ?? [], logger);
  const scope = clients.endpoint ?? 'aws';
  const costsOf = (account: string | undefined, linkedAccounts?: string[]): CostPort =>
    new CachedCosts(new CostExplorerCosts(factory.get('costExplorer', account ? { account } : {}), logger, now, linkedAccounts), cache, {
      cacheHours: config.costs.cacheHours,
      logger,
      // The bot's own account keeps the scope it always had, so its cached figures stay valid.
      scope: [scope, account ?? '', linkedAccounts?.join(',') ?? ''].filter(Boolean).join('|'),
    });
  return routedPorts({
    places,
    adaptersFor: (place) => {
      const s3 = factory.get('s3', place);
      // CloudTrail answers per account and region: each place has its own client, pace and cache keys.
      const pacer = options.trailPacer?.(place) ?? new LocalPacer(LOOKUP_REQUESTS_PER_SECOND);
      return {
        facts: new S3BucketFacts(s3, logger),
        listing: new S3ObjectListing(s3),
        metrics: new CloudWatchMetrics(factory.get('cloudWatch', place)),
        logObjects: new S3LogObjects(s3),
        trail: new CachedManagementEvents(new CloudTrailManagementEvents(factory.get('cloudTrail', place), pacer), cache, {
          logger,
          scope: `${scope}|${placeKey(place)}`,
        }),
      };
    },
    costs: fleetCosts({ buckets: config.buckets ?? [], accounts: config.accounts ?? [], payerAccount: config.costs.payerAccount, costsOf }),
    accessLogs: { countsCache: cache, readSlots: pLimit(ACCESS_LOG_READS_AT_ONCE) },
  });
}
