import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, Logger as SdkLogger } from '@smithy/types';
import type { Logger } from '../lib/logger.js';
import { AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS } from './deadlines.js';

/** Cost Explorer has one endpoint, in us-east-1, whatever region the buckets are in. */
export const COST_EXPLORER_REGION = 'us-east-1';
/** Time to open a connection before the SDK gives up on the attempt (and retries). */
export const CONNECTION_TIMEOUT_MS = 3_000;
/**
 * Time for one attempt's answer to start, unless the call asks for less (a port call a person
 * waits for asks `AWS_ATTEMPT_TIMEOUT_MS`). Past it the attempt fails with a TimeoutError (which
 * the SDK retries); each port call's deadline bounds all attempts together.
 */
export const REQUEST_TIMEOUT_MS = AWS_BACKGROUND_ATTEMPT_TIMEOUT_MS;
/** The SDK's standard retry strategy, with its default attempt count made explicit. */
export const MAX_ATTEMPTS = 3;

export interface AwsClientOptions {
  region: string;
  /** A custom endpoint (moto in tests, from AWS_ENDPOINT_URL); implies path-style S3 URLs. */
  endpoint?: string;
  logger: Logger;
  /** Defaults to the SDK's provider chain (environment, profile, role). */
  credentials?: AwsCredentialIdentity;
  /** Called with each client once built, e.g. to add the metrics middleware (`instrumentAwsClient`). */
  instrument?: (client: S3Client | CloudWatchClient | CostExplorerClient | CloudTrailClient) => void;
}

export interface AwsClients {
  s3: S3Client;
  cloudWatch: CloudWatchClient;
  costExplorer: CostExplorerClient;
  /** CloudTrail in the buckets' region: who changed a bucket's configuration (LookupEvents). */
  cloudTrail: CloudTrailClient;
  /** Where the clients send requests; absent for AWS itself. */
  endpoint?: string;
}

/** Builds the S3, CloudWatch, Cost Explorer and CloudTrail clients with timeouts and the SDK's retries. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = {
    maxAttempts: MAX_ATTEMPTS,
    logger: sdkLogger(options.logger),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const clients: AwsClients = {
    s3: new S3Client({
      ...common,
      region: options.region,
      requestHandler: httpHandler(),
      forcePathStyle: options.endpoint !== undefined,
      // A configured bucket may live in another region than the client's.
      followRegionRedirects: true,
    }),
    cloudWatch: new CloudWatchClient({ ...common, region: options.region, requestHandler: httpHandler() }),
    costExplorer: new CostExplorerClient({ ...common, region: COST_EXPLORER_REGION, requestHandler: httpHandler() }),
    cloudTrail: new CloudTrailClient({ ...common, region: options.region, requestHandler: httpHandler() }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  for (const client of [clients.s3, clients.cloudWatch, clients.costExplorer, clients.cloudTrail]) options.instrument?.(client);
  return clients;
}

function httpHandler(): NodeHttpHandler {
  // Without throwOnRequestTimeout the timeout only logs a warning and the request waits for ever.
  return new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true });
}

/**
 * The SDK logs every call's input and output at info, and every failed call at error; those hold
 * bucket contents and keys, so they go to debug without the payloads. A failed call is not an
 * error of the bot's: "not set" answers (NoSuchBucketPolicy, …) are expected, and the code that
 * made the call logs what a failure means. Only the SDK's own warnings stay visible.
 */
function sdkLogger(logger: Logger): SdkLogger {
  const aws = logger.child({ component: 'aws-sdk' });
  return {
    trace: () => undefined,
    debug: () => undefined,
    info: (entry: unknown) => {
      if (entry && typeof entry === 'object') {
        const { clientName, commandName, metadata } = entry as Record<string, unknown>;
        aws.debug({ clientName, commandName, metadata }, 'aws call');
      }
    },
    warn: (...content: unknown[]) => aws.warn({ content }, 'aws sdk warning'),
    error: (entry: unknown) => {
      if (entry && typeof entry === 'object' && 'commandName' in entry) {
        const { clientName, commandName, error, metadata } = entry as Record<string, unknown>;
        const name = error && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
        aws.debug({ clientName, commandName, errorName: name, metadata }, 'aws call failed');
      } else {
        aws.error({ content: entry }, 'aws sdk error');
      }
    },
  };
}
