import pLimit from 'p-limit';
import type { Config } from '../config/load.js';
import type { CachePort } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import { S3BucketFacts } from './bucket-facts.js';
import { BucketPlaces } from './bucket-places.js';
import { CachedCosts } from './cached-costs.js';
import type { AwsClients } from './clients.js';
import { CloudWatchMetrics } from './cloudwatch-metrics.js';
import { CostExplorerCosts } from './cost-explorer.js';
import { fleetCosts } from './fleet-costs.js';
import { routedPorts } from './routed-ports.js';
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
      return {
        facts: new S3BucketFacts(s3, logger),
        listing: new S3ObjectListing(s3),
        metrics: new CloudWatchMetrics(factory.get('cloudWatch', place)),
        logObjects: new S3LogObjects(s3),
      };
    },
    costs: fleetCosts({ buckets: config.buckets ?? [], accounts: config.accounts ?? [], payerAccount: config.costs.payerAccount, costsOf }),
    accessLogs: { countsCache: cache, readSlots: pLimit(ACCESS_LOG_READS_AT_ONCE) },
  });
}
