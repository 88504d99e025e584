/**
 * Where each bucket lives: its account (from the configuration; absent: the bot's own) and its
 * region (from the configuration, else GetBucketLocation, asked once and remembered: a bucket
 * never moves). Every port call, link and action about a bucket goes to that account and region.
 */
import { GetBucketLocationCommand } from '@aws-sdk/client-s3';
import type { Logger } from '../lib/logger.js';
import { RoleNotAssumedError } from './assumed-role.js';
import { regionOf } from './bucket-facts.js';
import type { AwsClientFactory, AwsPlace } from './clients.js';
import { withCallDeadline, type CallOptions } from './deadlines.js';
import { toUserFacingError } from './errors.js';

/** What the placement reads of a configured bucket. */
export interface PlacedBucket {
  name: string;
  region?: string | undefined;
  account?: string | undefined;
}

/** Finds and remembers each bucket's account and region. */
export class BucketPlaces {
  private readonly configured = new Map<string, PlacedBucket>();
  private readonly regions = new Map<string, string>();
  /** Buckets outside the configuration whose account is known from a watched one (its access-log bucket). */
  private readonly adopted = new Map<string, string | undefined>();
  private readonly lookups = new Map<string, Promise<string>>();

  constructor(
    private readonly factory: AwsClientFactory,
    buckets: readonly PlacedBucket[],
    private readonly logger: Logger,
  ) {
    for (const b of buckets) {
      this.configured.set(b.name, b);
      if (b.region) this.regions.set(b.name, b.region);
    }
  }

  /** The bot's own region (AWS_REGION). */
  get defaultRegion(): string {
    return this.factory.defaultRegion;
  }

  /** The bucket's account id, where it is reached through a role (an account listed without one is the bot's own). */
  accountOf(bucket: string): string | undefined {
    const account = this.configured.has(bucket) ? this.configured.get(bucket)!.account : this.adopted.get(bucket);
    return this.factory.hasRole(account) ? account : undefined;
  }

  /** The region already known (configured or found), without asking AWS. */
  knownRegion(bucket: string): string | undefined {
    return this.regions.get(bucket);
  }

  /** Records a region read elsewhere (the facts' GetBucketLocation). */
  learnRegion(bucket: string, region: string): void {
    this.regions.set(bucket, region);
  }

  /** A bucket outside the configuration that lives with `source` (S3 logs only to a bucket of the same account and region). */
  adopt(bucket: string, source: string): void {
    if (this.configured.has(bucket)) return;
    this.adopted.set(bucket, this.accountOf(source));
    const region = this.regions.get(source);
    if (region && !this.regions.has(bucket)) this.regions.set(bucket, region);
  }

  /** True when the place is not the bot's own account in its own region, so messages must say where. */
  isElsewhere(place: AwsPlace): boolean {
    return place.account !== undefined || place.region !== this.factory.defaultRegion;
  }

  /**
   * The bucket's account and region. A region that cannot be found (GetBucketLocation refused or
   * not answered) falls back to the default region for this call and is asked again next time; a
   * role that cannot be assumed fails the call, since nothing else in that account can be read.
   */
  async placeOf(bucket: string, options: CallOptions = {}): Promise<AwsPlace> {
    const account = this.accountOf(bucket);
    const known = this.regions.get(bucket);
    if (known) return { ...(account ? { account } : {}), region: known };
    try {
      const region = await this.lookup(bucket, account, options);
      return { ...(account ? { account } : {}), region };
    } catch (error) {
      if (error instanceof RoleNotAssumedError || (error as { cause?: unknown }).cause instanceof RoleNotAssumedError) throw error;
      this.logger.warn({ err: error, bucket, account }, 'the bucket\'s region could not be found; using the default region for now');
      return { ...(account ? { account } : {}), region: this.factory.defaultRegion };
    }
  }

  private lookup(bucket: string, account: string | undefined, options: CallOptions): Promise<string> {
    let pending = this.lookups.get(bucket);
    if (!pending) {
      const target = { service: 'S3', operation: 'GetBucketLocation', bucket } as const;
      const s3 = this.factory.get('s3', account ? { account } : {});
      pending = withCallDeadline(
        target,
        options,
        async (sdk) => regionOf((await s3.send(new GetBucketLocationCommand({ Bucket: bucket }), sdk)).LocationConstraint),
        (error) => toUserFacingError(error, target),
      )
        .then((region) => {
          this.regions.set(bucket, region);
          return region;
        })
        .finally(() => this.lookups.delete(bucket));
      this.lookups.set(bucket, pending);
    }
    return pending;
  }
}
