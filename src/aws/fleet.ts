/**
 * The AWS side of a process built from its configuration: one client factory for every account
 * and region of the fleet, and where each bucket lives. Every entry point builds one and releases it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { BucketPlaces } from './bucket-places.js';
import { createAwsClients, type AwsClientOptions, type AwsClients } from './clients.js';
import type { CallOptions } from './deadlines.js';

/** The S3 client of a bucket's own account and region. */
export type S3ForBucket = (bucket: string, options?: CallOptions) => Promise<S3Client>;

/** The clients and the placement of one process's fleet. */
export interface Fleet {
  clients: AwsClients;
  places: BucketPlaces;
  s3For: S3ForBucket;
  /** Lets go of every client built for the fleet. */
  release(): void;
}

export interface FleetOptions {
  logger: Logger;
  instrument?: AwsClientOptions['instrument'];
  /** Defaults to the SDK's provider chain. */
  credentials?: AwsCredentialIdentity;
}

/** Builds the client factory (with a role for each account that has one) and the bucket placement from the configuration. */
export function createFleet(config: Pick<Config, 'region' | 'env' | 'buckets'> & Partial<Pick<Config, 'accounts'>>, options: FleetOptions): Fleet {
  const clients = createAwsClients({
    region: config.region,
    logger: options.logger,
    ...(config.env.AWS_ENDPOINT_URL ? { endpoint: config.env.AWS_ENDPOINT_URL } : {}),
    ...(options.instrument ? { instrument: options.instrument } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    accounts: (config.accounts ?? []).flatMap((a) => (a.roleArn ? [{ id: a.id, roleArn: a.roleArn, sessionName: a.sessionName, ...(a.externalId ? { externalId: a.externalId } : {}) }] : [])),
  });
  const places = new BucketPlaces(clients.factory, config.buckets, options.logger);
  return {
    clients,
    places,
    s3For: async (bucket, callOptions) => {
      const account = places.accountOf(bucket);
      // A role that cannot be assumed fails the action's first call, which says so in the action's own words.
      const place = await places.placeOf(bucket, callOptions).catch(() => ({ ...(account ? { account } : {}), region: places.defaultRegion }));
      return clients.factory.get('s3', place);
    },
    release: () => clients.release(),
  };
}

/** The S3 client for `bucket`: its own account's and region's where the caller has a fleet, else the one client given. */
export async function bucketS3(deps: { s3: S3Client; s3For?: S3ForBucket | undefined }, bucket: string, options?: CallOptions): Promise<S3Client> {
  return deps.s3For ? deps.s3For(bucket, options) : deps.s3;
}
