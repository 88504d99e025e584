// Each account has its own CloudTrail: a bucket's changes are read from its own account's, and
// one account's LookupEvents never shows another account's changes.
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { CloudTrailManagementEvents } from '../../../src/aws/cloudtrail-events.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { LocalPacer } from '../../../src/lib/local-pacer.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { testConfig } from '../../helpers/config.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { createBucket, seedRoleArn, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, TEST_REGION } from '../../helpers/services.js';
import { injectTrailEvents } from '../../helpers/trail.js';

const OTHER_ACCOUNT = '333333333333';

describeWithServices('CloudTrail per account', () => {
  const own = uniqueBucketName('trail-own');
  const other = uniqueBucketName('trail-other');
  let clients: AwsClients;
  let ports: AwsPorts;
  const hourAround = () => ({ start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() + 60_000) });
  /** The names of the events LookupEvents gives `account` (absent: the bot's own) about `bucket`. */
  const eventsIn = async (account: string | undefined, bucket: string) => {
    const trail = new CloudTrailManagementEvents(clients.factory.get('cloudTrail', { ...(account ? { account } : {}), region: TEST_REGION }), new LocalPacer(2));
    return (await trail.bucketEvents(bucket, hourAround())).map((r) => r.eventName);
  };

  beforeAll(async () => {
    await createBucket(own);
    await createBucket(other, { account: OTHER_ACCOUNT });
    const accounts = [{ id: OTHER_ACCOUNT, roleArn: seedRoleArn(OTHER_ACCOUNT) }];
    clients = createTestAwsClients({ accounts });
    // Versioning suspended in each account, by that account's own credentials.
    await clients.factory.get('s3', { region: TEST_REGION }).send(new PutBucketVersioningCommand({ Bucket: own, VersioningConfiguration: { Status: 'Suspended' } }));
    await clients.factory.get('s3', { account: OTHER_ACCOUNT, region: TEST_REGION }).send(new PutBucketVersioningCommand({ Bucket: other, VersioningConfiguration: { Status: 'Suspended' } }));
    const config = testConfig({ buckets: [{ name: own }, { name: other, account: OTHER_ACCOUNT, region: TEST_REGION }], accounts, budget: { monthlyUsd: 200 } });
    ports = createAwsPorts({ clients, cache: new MemoryCache(), config, logger: silentLogger(), now: () => new Date() });
  }, 60_000);
  afterAll(() => clients?.release());

  it('reads each bucket’s changes from its own account', async () => {
    for (const bucket of [own, other]) {
      const names = (await ports.trail!.bucketEvents(bucket, hourAround())).map((r) => r.eventName);
      expect(names).toEqual(expect.arrayContaining(['PutBucketVersioning', 'CreateBucket']));
    }
  });

  it('one account’s CloudTrail never shows another account’s changes', async () => {
    expect(await eventsIn(OTHER_ACCOUNT, other)).toContain('PutBucketVersioning');
    expect(await eventsIn(undefined, other)).toEqual([]);
    expect(await eventsIn(undefined, own)).toContain('PutBucketVersioning');
    expect(await eventsIn(OTHER_ACCOUNT, own)).toEqual([]);
  });

  it('an event recorded in one account is read there only', async () => {
    await injectTrailEvents([{ eventName: 'DeleteBucketPolicy', requestParameters: { bucketName: other, policy: '' } }], OTHER_ACCOUNT);
    expect(await eventsIn(OTHER_ACCOUNT, other)).toContain('DeleteBucketPolicy');
    expect(await eventsIn(undefined, other)).not.toContain('DeleteBucketPolicy');
  });
});
