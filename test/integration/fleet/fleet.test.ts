// A fleet in two regions and two accounts, through the composition roots as production runs them
// (the real Bolt app, the worker, the command line) against moto: each bucket's status, errors,
// alerts, console links and cleanup come from its own account and region.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testObjectKey } from '../../../src/actions/test-upload.js';
import { createLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import type { TickSource } from '../../../src/jobs/tick-source.js';
import { startWorker } from '../../../src/worker.js';
import { formatBytes, formatPercent } from '../../../src/message/format.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { S3_SERVICE_NAME } from '../../../src/aws/cost-explorer.js';
import { DEFAULT_COST_DAYS, monthDays } from '../../../src/reports/costs.js';
import { addDays } from '../../../src/reports/s3-metrics.js';
import { createBucket, injectCostResults, putObjects, putRequestMetrics, putStorageMetrics, seedRoleArn, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { runCliProcess } from '../cli/run.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';

const OTHER_ACCOUNT = '222222222222';
const REFUSING_ACCOUNT = '333333333333';
const PREFIX = '_s3-chatops/test/';
/** Tests that run the command line as child processes, several each: a process takes seconds on a busy machine. */
const CLI_TEST_MS = 120_000;

interface Seeded {
  name: string;
  alias: string;
  region: string;
  account?: string;
  /** Configured region; absent: found with GetBucketLocation. */
  configuredRegion?: string;
  sizeBytes: number;
  errorsPerHundred: number;
}

describeWithServices('a fleet in two regions and two accounts', () => {
  const saved = { ...process.env };
  const buckets: Seeded[] = [
    { name: uniqueBucketName('fleet-home'), alias: 'home', region: 'us-east-1', sizeBytes: 1_000_000_000, errorsPerHundred: 1 },
    { name: uniqueBucketName('fleet-eu'), alias: 'eu', region: 'eu-west-1', sizeBytes: 2_000_000_000, errorsPerHundred: 15 },
    { name: uniqueBucketName('fleet-other'), alias: 'other', region: 'eu-central-1', account: OTHER_ACCOUNT, configuredRegion: 'eu-central-1', sizeBytes: 3_000_000_000, errorsPerHundred: 30 },
  ];
  const refused = uniqueBucketName('fleet-refused');
  const refusedRole = `arn:aws:iam::${REFUSING_ACCOUNT}:role/refused-s3-chatops-read`;
  let slack: FakeSlack;
  let bot: BotHandle;
  let env: Record<string, string>;
  let refusedEnv: Record<string, string>;
  const run = `fleet-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

  const fileSettings = {
    accounts: [{ id: OTHER_ACCOUNT, roleArn: seedRoleArn(OTHER_ACCOUNT), externalId: 'fleet-test' }],
    channels: { alerts: 'C0ALERTS' },
    cleanup: { olderThanDays: 7, allowedUsers: ['U0ADMIN'] },
  };
  const bucketSettings = buckets.map((b) => ({ name: b.name, alias: b.alias, ...(b.configuredRegion ? { region: b.configuredRegion } : {}), ...(b.account ? { account: b.account } : {}) }));

  beforeAll(async () => {
    const now = Date.now();
    for (const b of buckets) {
      await createBucket(b.name, { region: b.region, ...(b.account ? { account: b.account } : {}), metricsConfigIds: ['EntireBucket'] });
      await putStorageMetrics(b.name, { days: 2, sizeBytesByStorageType: { StandardStorage: b.sizeBytes }, objects: 10 });
      const points = Array.from({ length: 16 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 100, '4xxErrors': b.errorsPerHundred }));
      await putRequestMetrics(b.name, 'EntireBucket', points);
      // Two old test files and a recent one under the test prefix, and a file of the bucket's own.
      await putObjects(b.name, [
        { key: testObjectKey(PREFIX, new Date(now - 20 * 86_400_000)), size: 10, ageDays: 20, tags: { 's3-chatops': 'test' } },
        { key: testObjectKey(PREFIX, new Date(now - 21 * 86_400_000)), size: 10, ageDays: 21, tags: { 's3-chatops': 'test' } },
        { key: testObjectKey(PREFIX, new Date(now - 86_400_000)), size: 10, ageDays: 1, tags: { 's3-chatops': 'test' } },
        { key: `docs/${b.alias}.pdf`, size: 10, ageDays: 30 },
      ]);
    }
    await createBucket(refused);

    slack = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-fleet-'));
    const file = join(dir, 'fleet.yml');
    writeFileSync(file, stringify({ buckets: bucketSettings, ...fileSettings }));
    env = { ...awsTestEnv(), CONFIG_FILE: file, REDIS_URL: redisUrl(), SLACK_BOT_TOKEN: 'xoxb-cli', SLACK_API_URL: slack.apiUrl };
    const refusedFile = join(dir, 'refused.yml');
    writeFileSync(refusedFile, stringify({ buckets: [{ name: refused, alias: 'refused', account: REFUSING_ACCOUNT, region: 'us-east-1' }], accounts: [{ id: REFUSING_ACCOUNT, roleArn: refusedRole }] }));
    refusedEnv = { ...env, CONFIG_FILE: refusedFile };

    Object.assign(process.env, awsTestEnv());
    const config = testConfig({ buckets: bucketSettings, budget: { monthlyUsd: 200 }, ...fileSettings }, { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL! });
    bot = await startBot(config, createLogger({ level: 'silent' }), { port: 0, handleSignals: false, queuePrefix: run, alertKeyPrefix: `${run}:` });
  });

  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    process.env = saved;
  });

  async function ask(text: string): Promise<string> {
    const { id, url } = slack.responseUrl();
    const ack = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, slashCommandBody(text, url), { signingSecret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    const answer = await slack.waitFor((c) => c.responseId === id, 25_000);
    return JSON.stringify(answer.body);
  }

  it('/s3 status without a bucket groups the fleet by account and region, each bucket with its own size', async () => {
    const all = await ask('status');
    // One list per account and region, in order, each holding its own bucket's line.
    const groups = [
      { title: `Account ${OTHER_ACCOUNT} · eu-central-1`, bucket: buckets[2]! },
      { title: 'Own account · eu-west-1', bucket: buckets[1]! },
      { title: 'Own account · us-east-1', bucket: buckets[0]! },
    ];
    const starts = groups.map((g) => all.indexOf(g.title));
    expect(starts.every((at) => at >= 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    groups.forEach((g, i) => {
      const size = all.indexOf(formatBytes(g.bucket.sizeBytes), starts[i]);
      expect(size).toBeGreaterThan(starts[i]!);
      if (i + 1 < groups.length) expect(size).toBeLessThan(starts[i + 1]!);
    });
    expect(all).not.toContain('did not answer');
  });

  it('/s3 status of each bucket shows its own region, size and error rate', async () => {
    for (const b of buckets) {
      const all = await ask(`status ${b.alias}`);
      expect(all).toContain(b.account ? `account ${b.account} · ${b.region}` : ` · ${b.region} · `);
      expect(all).toContain(formatBytes(b.sizeBytes));
      expect(all).toContain(formatPercent(b.errorsPerHundred / 100));
    }
  });

  it('/s3 errors of each bucket reads the request metrics of its own account and region', async () => {
    for (const b of buckets) {
      const all = await ask(`errors ${b.alias} --since 1h`);
      expect(all).toContain(formatPercent(b.errorsPerHundred / 100));
      expect(all).not.toContain('request metrics are not enabled');
    }
  });

  it('/s3 test writes, reads back and deletes a test object in each bucket\'s own account and region', async () => {
    for (const b of buckets) {
      const all = await ask(`test ${b.alias}`);
      expect(all).toContain(`Test upload to ${b.alias} (${b.name}) worked`);
    }
  });

  it('/s3 cleanup previews each bucket\'s own old test files', async () => {
    for (const b of buckets) {
      const all = await ask(`cleanup ${b.alias}`);
      expect(all).toContain(b.name);
      expect(all).toMatch(/\b2\b[^"]*(old test|versions|objects)/);
    }
  });

  it('alerts evaluate fires the error-rate rule on the buckets over it, each linked to its own region', async () => {
    const result = await runCliProcess(['alerts', 'evaluate'], env);
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok\s+error-rate on home/);
    expect(result.stdout).toMatch(/firing\s+error-rate on eu/);
    expect(result.stdout).toMatch(/firing\s+error-rate on other/);
    expect(result.stdout).toContain('https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1');
    expect(result.stdout).toContain('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1');
  }, CLI_TEST_MS);

  it('the worker\'s alert tick posts the firing buckets, each linked to CloudWatch in its own region', async () => {
    const listeners = new Set<(slot: Date) => void>();
    const ticks: TickSource = (onTick) => {
      listeners.add(onTick);
      return { stop: () => listeners.delete(onTick) };
    };
    const config = testConfig({ buckets: bucketSettings, budget: { monthlyUsd: 200 }, ...fileSettings }, { SLACK_API_URL: slack.apiUrl, REDIS_URL: redisUrl(), AWS_ENDPOINT_URL: awsTestEnv().AWS_ENDPOINT_URL! });
    const worker = await startWorker(config, createLogger({ level: 'silent' }), { handleSignals: false, serveMetrics: false, queuePrefix: `${run}w`, keyPrefix: `${run}w:`, ticks, digestTicks: () => ({ stop: () => undefined }) });
    try {
      listeners.forEach((tick) => tick(new Date(Math.floor(Date.now() / 60_000) * 60_000)));
      const posted = (alias: string) => slack.callsOf('chat.postMessage').find((c) => c.body.channel === 'C0ALERTS' && JSON.stringify(c.body).includes(`error-rate firing on ${alias}`));
      await expect.poll(() => Boolean(posted('eu') && posted('other')), { timeout: 30_000, interval: 250 }).toBe(true);
      expect(JSON.stringify(posted('other')?.body)).toContain('https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1');
      expect(JSON.stringify(posted('eu')?.body)).toContain('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1');
      expect(posted('home')).toBeUndefined();
    } finally {
      await worker.stop();
    }
  });

  it('cleanup --yes deletes each bucket\'s old test files in its own account, and nothing else', async () => {
    const seedClients = createTestAwsClients({ accounts: [{ id: OTHER_ACCOUNT, roleArn: seedRoleArn(OTHER_ACCOUNT) }] });
    try {
      for (const b of buckets) {
        const result = await runCliProcess(['cleanup', b.alias, '--yes', '--json'], env);
        expect(result.stderr).not.toContain('unexpected error');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ deleted: 2, failedCount: 0 });
        const s3 = seedClients.factory.get('s3', { ...(b.account ? { account: b.account } : {}), region: b.region });
        const left = await s3.send(new ListObjectsV2Command({ Bucket: b.name }));
        const keys = (left.Contents ?? []).map((o) => o.Key);
        expect(keys).toHaveLength(2);
        expect(keys).toContain(`docs/${b.alias}.pdf`);
      }
    } finally {
      seedClients.release();
    }
  }, CLI_TEST_MS);

  it('doctor assumes the other account\'s role and lists each account and region with its buckets', async () => {
    const result = await runCliProcess(['doctor'], env);
    expect(result.stdout).toMatch(new RegExp(`ok\\s+account ${OTHER_ACCOUNT}: role assumed: arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/s3-chatops-read/`));
    expect(result.stdout).toMatch(/ok\s+region own account, us-east-1: 1 bucket: home/);
    expect(result.stdout).toMatch(/ok\s+region own account, eu-west-1: 1 bucket: eu/);
    expect(result.stdout).toMatch(new RegExp(`ok\\s+region account ${OTHER_ACCOUNT}, eu-central-1: 1 bucket: other`));
  }, CLI_TEST_MS);

  it('a role that cannot be assumed is named, with its account and AWS\'s error, by status and doctor', async () => {
    const status = await runCliProcess(['status', 'refused'], refusedEnv);
    expect(status.stderr).not.toContain('unexpected error');
    const said = status.stdout + status.stderr;
    expect(said).toContain(`The role \`${refusedRole}\` in ${REFUSING_ACCOUNT} could not be assumed: AccessDenied`);
    const doctor = await runCliProcess(['doctor'], refusedEnv);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(new RegExp(`FAIL\\s+account ${REFUSING_ACCOUNT}: The role \`${refusedRole.replace(/[/]/g, '\\/')}\` in ${REFUSING_ACCOUNT} could not be assumed: AccessDenied`));
  }, CLI_TEST_MS);

  describe('costs', () => {
    const accounts = ['444444444444', '555555555555'];
    const payer = '666666666666';
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 's3-chatops-fleet-costs-'));
    });

    /** The one Cost Explorer answer of today's costs query, queued in `account`, going only to a request with `match` too. */
    async function seedCost(account: string, amount: string, match: Record<string, unknown> = {}): Promise<void> {
      const m = monthDays(new Date());
      const firstDay = addDays(m.today, -(DEFAULT_COST_DAYS - 1));
      const start = firstDay < m.lastMonthStart ? firstDay : m.lastMonthStart;
      await injectCostResults(
        [
          {
            _match: { TimePeriod: { Start: start, End: m.tomorrow }, ...match },
            ResultsByTime: [
              {
                TimePeriod: { Start: m.today, End: m.tomorrow },
                Total: {},
                Groups: [{ Keys: ['EUW1-TimedStorage-ByteHrs'], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } }],
                Estimated: true,
              },
            ],
          },
        ],
        account,
      );
    }

    function configFile(name: string, settings: Record<string, unknown>): string {
      const file = join(dir, name);
      writeFileSync(file, stringify({ buckets: accounts.map((account, i) => ({ name: uniqueBucketName(`fleet-cost-${i}`), account, region: 'eu-west-1' })), ...settings }));
      return file;
    }

    it('adds up each account\'s own Cost Explorer', async () => {
      await seedCost(accounts[0]!, '12.34');
      await seedCost(accounts[1]!, '5.66');
      const file = configFile('each.yml', { accounts: accounts.map((id) => ({ id, roleArn: seedRoleArn(id) })) });
      // No Redis: each account's Cost Explorer is asked now.
      const result = await runCliProcess(['costs', '--json'], { ...env, CONFIG_FILE: file, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).monthToDate).toBeCloseTo(18, 2);
    }, CLI_TEST_MS);

    it('reads them once from the payer account, for the listed linked accounts only', async () => {
      const listed = [...accounts, payer];
      const filter = { And: [{ Dimensions: { Key: 'SERVICE', Values: [S3_SERVICE_NAME] } }, { Dimensions: { Key: 'LINKED_ACCOUNT', Values: listed } }] };
      await seedCost(payer, '42.00', { Filter: filter });
      const file = configFile('payer.yml', { accounts: listed.map((id) => ({ id, roleArn: seedRoleArn(id) })), costs: { payerAccount: payer } });
      const result = await runCliProcess(['costs', '--json'], { ...env, CONFIG_FILE: file, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).monthToDate).toBeCloseTo(42, 2);
    }, CLI_TEST_MS);
  });
});
