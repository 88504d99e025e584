import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import type { Logger } from '../lib/logger.js';
import { assumeRoleCredentials, type AssumedAccount } from './assumed-role.js';
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

/** Where a client sends its requests: an account (absent: the bot's own) and a region. */
export interface AwsPlace {
  /** The id of an account under `accounts` with a role; absent for the bot's own credentials. */
  account?: string;
  region: string;
}

export type { AssumedAccount } from './assumed-role.js';

export interface AwsClientOptions {
  /** The default region: the bot's own (AWS_REGION). */
  region: string;
  /** A custom endpoint (moto in tests, from AWS_ENDPOINT_URL); implies path-style S3 URLs. */
  endpoint?: string;
  logger: Logger;
  /** Defaults to the SDK's provider chain (environment, profile, role). */
  credentials?: AwsCredentialIdentity;
  /** The roles assumed in other accounts, by account id. */
  accounts?: readonly AssumedAccount[];
  /** Called with each client once built, e.g. to add the metrics middleware (`instrumentAwsClient`). */
  instrument?: (client: AwsServiceClient) => void;
}

/** What every client is built with, whatever its service. */
interface CommonClientConfig {
  region: string;
  maxAttempts: number;
  logger: SdkLogger;
  requestHandler: NodeHttpHandler;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * Each service the bot talks to and how its client is built; adding a service is one line here.
 * A service with a `region` has one endpoint there whatever the bucket's region: one client per account.
 */
const SERVICES = {
  s3: {
    build: (c: CommonClientConfig) =>
      new S3Client({
        ...c,
        forcePathStyle: c.endpoint !== undefined,
        // A bucket whose region is not known yet (its GetBucketLocation failed) is still reached.
        followRegionRedirects: true,
      }),
  },
  cloudWatch: { build: (c: CommonClientConfig) => new CloudWatchClient(c) },
  costExplorer: { build: (c: CommonClientConfig) => new CostExplorerClient(c), region: COST_EXPLORER_REGION },
  sts: { build: (c: CommonClientConfig) => new STSClient(c) },
  cloudTrail: { build: (c: CommonClientConfig) => new CloudTrailClient(c) },
} as const satisfies Record<string, { build: (c: CommonClientConfig) => { destroy(): void }; region?: string }>;

/** The services the factory builds clients for. */
export type AwsServiceName = keyof typeof SERVICES;
/** The client type of each service. */
export type AwsServiceClients = { [S in AwsServiceName]: ReturnType<(typeof SERVICES)[S]['build']> };
/** Any client the factory builds. */
export type AwsServiceClient = AwsServiceClients[AwsServiceName];

/**
 * One client per account × region × service, built on first use and reused, and one `release()`
 * that lets go of them all (and of the STS clients behind assumed roles).
 */
export class AwsClientFactory {
  private readonly clients = new Map<string, AwsServiceClient>();
  private readonly handlers: NodeHttpHandler[] = [];
  private readonly roles = new Map<string, AssumedAccount>();
  private readonly credentialsByAccount = new Map<string, AwsCredentialIdentityProvider>();
  private readonly sdkLog: SdkLogger;
  private released = false;

  constructor(private readonly options: AwsClientOptions) {
    this.sdkLog = sdkLogger(options.logger);
    for (const role of options.accounts ?? []) this.roles.set(role.id, role);
  }

  /** The default region (AWS_REGION). */
  get defaultRegion(): string {
    return this.options.region;
  }

  /** Where the clients send requests; absent for AWS itself. */
  get endpoint(): string | undefined {
    return this.options.endpoint;
  }

  /** True when `account` names an assumed role (not the bot's own credentials). */
  hasRole(account: string | undefined): boolean {
    return account !== undefined && this.roles.has(account);
  }

  /** The role assumed for `account`, if it has one. */
  roleOf(account: string | undefined): AssumedAccount | undefined {
    return account === undefined ? undefined : this.roles.get(account);
  }

  /** The client of `service` for `place` (default: the bot's own account in the default region), built once. */
  get<S extends AwsServiceName>(service: S, place: Partial<AwsPlace> = {}): AwsServiceClients[S] {
    if (this.released) throw new Error('the AWS clients were released');
    const account = this.hasRole(place.account) ? place.account : undefined;
    const fixed = 'region' in SERVICES[service] ? (SERVICES[service] as { region: string }).region : undefined;
    const region = fixed ?? place.region ?? this.options.region;
    const key = `${service}|${account ?? ''}|${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = SERVICES[service].build(this.commonConfig(region, account));
      this.options.instrument?.(client);
      this.clients.set(key, client);
    }
    return client as AwsServiceClients[S];
  }

  /** Lets go of every client built (their sockets), so the process can exit. */
  release(): void {
    this.released = true;
    for (const client of this.clients.values()) client.destroy();
    for (const handler of this.handlers) handler.destroy();
    this.clients.clear();
  }

  private commonConfig(region: string, account: string | undefined): CommonClientConfig {
    const handler = httpHandler();
    this.handlers.push(handler);
    const credentials = account === undefined ? this.options.credentials : this.assumedCredentials(account);
    return {
      region,
      maxAttempts: MAX_ATTEMPTS,
      logger: this.sdkLog,
      requestHandler: handler,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }

  /** One credential provider per account, shared by its clients, so the role is assumed once per session. */
  private assumedCredentials(account: string): AwsCredentialIdentityProvider {
    let provider = this.credentialsByAccount.get(account);
    if (!provider) {
      const role = this.roles.get(account)!;
      const handler = httpHandler();
      this.handlers.push(handler);
      provider = assumeRoleCredentials(role, {
        region: this.options.region,
        requestHandler: handler,
        maxAttempts: MAX_ATTEMPTS,
        logger: this.sdkLog,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.credentials ? { masterCredentials: this.options.credentials } : {}),
      });
      this.credentialsByAccount.set(account, provider);
    }
    return provider;
  }
}

/** The clients of the bot's own account in the default region, and the factory behind them. */
export interface AwsClients {
  s3: S3Client;
  cloudWatch: CloudWatchClient;
  costExplorer: CostExplorerClient;
  /** CloudTrail in the buckets' region: who changed a bucket's configuration (LookupEvents). */
  cloudTrail: CloudTrailClient;
  /** Where the clients send requests; absent for AWS itself. */
  endpoint?: string;
  /** Builds (once) the clients of other accounts and regions. */
  factory: AwsClientFactory;
  /** Lets go of every client the factory built. */
  release(): void;
}

/** Builds the client factory, with the default place's S3, CloudWatch, Cost Explorer and CloudTrail clients at hand. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const factory = new AwsClientFactory(options);
  return {
    s3: factory.get('s3'),
    cloudWatch: factory.get('cloudWatch'),
    costExplorer: factory.get('costExplorer'),
    cloudTrail: factory.get('cloudTrail'),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    factory,
    release: () => factory.release(),
  };
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
