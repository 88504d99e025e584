import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { addDays } from '../../../src/reports/s3-metrics.js';
import { DEFAULT_COST_DAYS, monthDays } from '../../../src/reports/costs.js';
import { Redis } from 'ioredis';
import { createBucket, injectCostResults, putObjects, putRequestMetrics, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { runCli } from '../../../src/cli.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { Capture } from '../../unit/cli/fakes.js';
import { runCliProcess } from './run.js';

// The command line as a child process, against buckets seeded in moto's server.
describeWithServices('s3-chatops on the command line against moto', () => {
  const name = uniqueBucketName('cli');
  const other = uniqueBucketName('cli-other');
  const objects = 4_321;
  const sizes = { StandardStorage: 2_000_000_000, StandardIAStorage: 250_000_000 };
  let env: Record<string, string>;

  beforeAll(async () => {
    await createBucket(name, { versioning: 'Enabled', encryption: { algorithm: 'AES256' }, publicAccessBlock: true, metricsConfigIds: ['EntireBucket'] });
    await createBucket(other);
    await putObjects(name, [
      { key: 'reports/provider-payment-1.pdf', size: 2_048, ageDays: 0.5 },
      { key: 'reports/provider-payment-2.pdf', size: 4_096, ageDays: 0.1 },
      { key: 'cases/old.pdf', size: 512, ageDays: 3 },
    ]);
    await putStorageMetrics(name, { days: 8, sizeBytesByStorageType: sizes, objects });
    const now = Date.now();
    await putRequestMetrics(
      name,
      'EntireBucket',
      Array.from({ length: 10 }, (_, i) => ({ at: new Date(now - (i + 2) * 60_000), AllRequests: 100, '4xxErrors': 4, '5xxErrors': 1 })),
    );

    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(configFile, `buckets:\n  - name: ${name}\n    alias: docs\n  - name: ${other}\n`);
    env = { ...awsTestEnv(), CONFIG_FILE: configFile, REDIS_URL: redisUrl() };
  });

  it('status prints the report of a bucket named by its alias', async () => {
    const run = await runCliProcess(['status', 'docs'], env);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(name);
    expect(run.stdout).toContain('4,321');
  });

  it('status --json prints the data behind the report', async () => {
    const run = await runCliProcess(['status', name, '--json'], env);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.bucket.name).toBe(name);
    expect(data.storage.objects).toBe(objects);
    expect(data.storage.totalBytes).toBe(sizes.StandardStorage + sizes.StandardIAStorage);
    expect(data.facts.versioning).toBe('Enabled');
    expect(data.facts.encryption.algorithm).toBe('AES256');
  });

  it('status without a bucket shows every configured bucket', async () => {
    const run = await runCliProcess(['status', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).buckets.map((b: { bucket: { name: string } }) => b.bucket.name)).toEqual([name, other]);
  });

  it('uploads lists the newest objects first, within --limit and --prefix', async () => {
    const run = await runCliProcess(['uploads', 'docs', '--prefix', 'reports/', '--limit', '5', '--json'], env);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.objects.map((o: { key: string }) => o.key)).toEqual(['reports/provider-payment-2.pdf', 'reports/provider-payment-1.pdf']);
    const text = await runCliProcess(['uploads', 'docs', '--limit', '1'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('reports/provider-payment-2.pdf');
    expect(text.stdout).not.toContain('cases/old.pdf');
  });

  it('errors counts the seeded requests and errors', async () => {
    const run = await runCliProcess(['errors', 'docs', '--since', '1h', '--json'], env);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.requestMetrics).toBe('enabled');
    expect(data.totals).toMatchObject({ requests: 1_000, errors4xx: 40, errors5xx: 10, errorRate: 0.05 });
    const text = await runCliProcess(['errors', 'docs', '--since', '1h'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('5.0%');
    expect(text.stdout).toContain('1,000');
  });

  it('errors says how to enable request metrics where they are off', async () => {
    const run = await runCliProcess(['errors', other], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('put-bucket-metrics-configuration');
  });

  describe('costs', () => {
    // A Redis database of this file's own, emptied first, so no other run's cached answer is read.
    const cacheDb = 11;
    let cachedEnv: Record<string, string>;
    beforeAll(async () => {
      const url = new URL(redisUrl());
      url.pathname = `/${cacheDb}`;
      const redis = new Redis(url.toString());
      const keys = await redis.keys('s3-chatops:*');
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      cachedEnv = { ...env, REDIS_URL: url.toString() };
    });

    /** Queues the one Cost Explorer answer the costs report's query for today gets. */
    async function seedCost(amount: string): Promise<void> {
      const m = monthDays(new Date());
      const firstDay = addDays(m.today, -(DEFAULT_COST_DAYS - 1));
      const start = firstDay < m.lastMonthStart ? firstDay : m.lastMonthStart;
      await injectCostResults([
        {
          _match: { TimePeriod: { Start: start, End: m.tomorrow } },
          ResultsByTime: [
            {
              TimePeriod: { Start: m.today, End: m.tomorrow },
              Total: {},
              Groups: [{ Keys: ['USE1-TimedStorage-ByteHrs'], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } }],
              Estimated: true,
            },
          ],
        },
      ]);
    }

    it('caches the Cost Explorer answer in Redis and answers the next run from it', async () => {
      await seedCost('12.34');
      const first = await runCliProcess(['costs', '--json'], cachedEnv);
      expect(first.code).toBe(0);
      expect(first.stderr).not.toContain('note: Redis');
      const figures = JSON.parse(first.stdout);
      expect(figures.monthToDate).toBeCloseTo(12.34, 2);

      const redis = new Redis(cachedEnv.REDIS_URL!);
      expect((await redis.keys('s3-chatops:*')).length).toBeGreaterThan(0);
      redis.disconnect();

      // A fresh Cost Explorer answer would carry a later fetchedAt; the cached one keeps the first.
      const second = await runCliProcess(['costs', '--json'], cachedEnv);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toEqual(figures);

      const text = await runCliProcess(['costs'], cachedEnv);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('12.34');
    });

    it('goes without the cache, with a note, when Redis does not answer', async () => {
      await seedCost('12.34');
      const before = Date.now();
      const run = await runCliProcess(['costs', '--json'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('note: Redis at redis://127.0.0.1:1 did not answer');
      const figures = JSON.parse(run.stdout);
      expect(figures.monthToDate).toBeCloseTo(12.34, 2);
      expect(new Date(figures.fetchedAt).getTime()).toBeGreaterThanOrEqual(before);
    });
  });

  it('answers bad usage with exit 2 and the usage', async () => {
    const unknownBucket = await runCliProcess(['status', 'not-configured'], env);
    expect(unknownBucket.code).toBe(2);
    expect(unknownBucket.stderr).toContain('Unknown bucket `not-configured`');
    const badFlag = await runCliProcess(['uploads', 'docs', '--limit', '500'], env);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('s3-chatops uploads [bucket]');
  });

  it('status without a bucket marks a bucket that does not exist ✗ with a hint, and a new empty one not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-'));
    const configFile = join(dir, 's3-chatops.yml');
    const gone = uniqueBucketName('never-created');
    writeFileSync(configFile, `buckets:\n  - name: ${name}\n    alias: docs\n  - name: ${other}\n    alias: fresh\n  - name: ${gone}\n    alias: gone\n`);
    const run = await runCliProcess(['status'], { ...env, CONFIG_FILE: configFile });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✗ gone · does not exist in this AWS account');
    expect(run.stdout).toContain(`NoSuchBucket for ${gone}`);
    expect(run.stdout).toMatch(/^\s*i fresh · no storage metrics yet/m);
    expect(run.stdout).not.toMatch(/fresh · does not exist/);
  });

  it('explains a bucket AWS does not know with exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(configFile, `buckets:\n  - name: ${uniqueBucketName('never-created')}\n`);
    const run = await runCliProcess(['uploads'], { ...env, CONFIG_FILE: configFile });
    expect(run.code).toBe(1);
    // The AWS SDK may print its own Node version notice first; our line is the explanation.
    expect(run.stderr).toMatch(/^s3-chatops: .*never-created-/m);
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 1 listing the configuration problems', async () => {
    const run = await runCliProcess(['status'], { ...awsTestEnv(), AWS_REGION: '', AWS_DEFAULT_REGION: '', CONFIG_FILE: '/nonexistent/s3-chatops.yml' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/nonexistent/s3-chatops.yml: no such file');
    expect(run.stderr).toContain('AWS_REGION is not set');
  });

  it('doctor checks each bucket and Redis against the real services', async () => {
    const run = await runCliProcess(['doctor'], env);
    expect(run.stdout).toContain(`ok    bucket docs (${name}): objects: listing works`);
    expect(run.stdout).toContain(`ok    bucket ${other}: metrics: CloudWatch metrics readable`);
    expect(run.stdout).toContain('ok    redis: PING answered');
    expect(run.stdout).toContain('skip  slack: SLACK_BOT_TOKEN is not set');
    expect(run.code).toBe(run.stdout.includes('\nFAIL ') ? 1 : 0);
  });

  it('doctor writes, tags, reads and deletes by version a real object under the test prefix, leaving no version behind', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    // In-process, the SDK finds its credentials in this process's environment, as it does in the program.
    for (const [key, value] of Object.entries(awsTestEnv())) vi.stubEnv(key, value);
    try {
      await runCli(['doctor'], { stdout, stderr, env });
    } finally {
      vi.unstubAllEnvs();
    }
    for (const step of ['write, tagged', 'read tags', 'read back', 'list versions']) expect(stdout.text).toContain(`ok    bucket docs (${name}): test prefix ${step}: _s3-chatops/test/`);
    expect(stdout.text).toMatch(new RegExp(`ok {4}bucket docs \\(${name}\\): test prefix delete: deleted version \\S+ of _s3-chatops/test/`));
    expect(stdout.text).toMatch(new RegExp(`ok {4}bucket ${other}: test prefix delete: _s3-chatops/test/`));
    expect(stdout.text).toMatch(/^(ok {4}|FAIL {2})cost explorer: /m);
    expect(stdout.text).toContain(`skip  bucket docs (${name}): access log: server access logging is off`);
    const s3 = createTestAwsClients().s3;
    try {
      const left = await s3.send(new ListObjectVersionsCommand({ Bucket: name, Prefix: '_s3-chatops/test/' }));
      expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toEqual([]);
    } finally {
      s3.destroy();
    }
  });

  it('uploads shows how many keys its listing scanned on a terminal\'s stderr, and nothing on a pipe', async () => {
    for (const [key, value] of Object.entries(awsTestEnv())) vi.stubEnv(key, value);
    try {
      const tty = Object.assign(new Capture(), { isTTY: true });
      expect(await runCli(['uploads', 'docs'], { stdout: new Capture(), stderr: tty, env })).toBe(0);
      expect(tty.text).toMatch(/^scanned 3 keys so far…$/m);
      const pipe = new Capture();
      expect(await runCli(['uploads', 'docs'], { stdout: new Capture(), stderr: pipe, env })).toBe(0);
      expect(pipe.text).toBe('');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('doctor fails on a Redis that does not answer', async () => {
    const run = await runCliProcess(['doctor'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL  redis: no answer at redis://127.0.0.1:1');
  });

  it('manifest prints the Slack app manifest for the given URL', async () => {
    const run = await runCliProcess(['manifest', '--url', 'https://s3-chatops.acme.org'], {});
    expect(run.code).toBe(0);
    const manifest = parseYaml(run.stdout);
    expect(manifest.features.slash_commands[0].url).toBe('https://s3-chatops.acme.org/slack/events');
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
  });
});
