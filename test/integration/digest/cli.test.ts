/** `s3-chatops digest [--post] [--json]` in process through runCli (one run as a child), against moto and the fake Slack. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putObjects, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { runCliInProcess, runCliProcess } from '../cli/run.js';

describeWithServices('s3-chatops digest on the command line', () => {
  const name = uniqueBucketName('digest-cli');
  let slack: FakeSlack;
  let dir: string;
  let env: Record<string, string>;

  const configWith = (extra: string): string => {
    const file = join(dir, `s3-chatops-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, `buckets:\n  - name: ${name}\n    alias: docs\n${extra}schedules:\n  timezone: America/New_York\n`);
    return file;
  };

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(name, { versioning: 'Enabled', publicAccessBlock: true });
    await putObjects(name, [
      { key: 'reports/provider-payment-1.pdf', size: 2_048, ageDays: 0.5 },
      { key: 'cases/old.pdf', size: 512, ageDays: 3 },
    ]);
    await putStorageMetrics(name, { days: 3, sizeBytesByStorageType: { StandardStorage: 2_560 }, objects: 2 });
    dir = mkdtempSync(join(tmpdir(), 's3-chatops-digest-'));
    env = { ...awsTestEnv(), REDIS_URL: redisUrl(), SLACK_API_URL: slack.apiUrl };
  });

  afterAll(async () => {
    await slack?.stop();
  });

  it('prints the digest: the bucket\'s day, its hygiene and the cost', async () => {
    const run = await runCliInProcess(['digest'], { ...env, CONFIG_FILE: configWith('') });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^S3 daily digest: \d{4}-\d\d-\d\d$/m);
    expect(run.stdout).toContain(`docs ${name}`);
    expect(run.stdout).toContain('Uploads in 24 h: 1 (2.0 KB)');
    expect(run.stdout).toContain('scheduled in America/New_York');
    expect(run.stdout).toMatch(/Hygiene: /);
  });

  it('--json prints the data behind it', async () => {
    const run = await runCliInProcess(['digest', '--json'], { ...env, CONFIG_FILE: configWith('') });
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.buckets[0].bucket).toEqual({ name, alias: 'docs' });
    expect(data.buckets[0].uploads).toMatchObject({ ok: true, value: { count: 1, bytes: 2048 } });
  });

  it('--post posts it to the digest channel with the bot token', async () => {
    slack.reset();
    // A child: the process ends once the digest is posted.
    const run = await runCliProcess(['digest', '--post'], { ...env, CONFIG_FILE: configWith('channels:\n  digest: C0DIGEST\n'), SLACK_BOT_TOKEN: 'xoxb-test-token' });
    expect(run.stderr).not.toMatch(/s3-chatops:|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Posted the digest for \d{4}-\d\d-\d\d to C0DIGEST \(ts [\d.]+\) with 0 thread replies\.$/m);
    const posts = slack.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('C0DIGEST');
    expect(posts[0]!.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain(name);
  });

  it('--post without a channel or a token says what is missing and exits 1, posting nothing', async () => {
    slack.reset();
    const run = await runCliInProcess(['digest', '--post'], { ...env, CONFIG_FILE: configWith('') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SLACK_BOT_TOKEN is not set');
    expect(run.stderr).toContain('channels.digest is not set');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('--post when Slack refuses says why in words a person can act on', async () => {
    slack.reset();
    slack.failWith('chat.postMessage', 'not_in_channel');
    const run = await runCliInProcess(['digest', '--post'], { ...env, CONFIG_FILE: configWith('channels:\n  digest: C0DIGEST\n'), SLACK_BOT_TOKEN: 'xoxb-test-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not_in_channel');
    expect(run.stderr).toContain('/invite @s3-chatops');
    expect(run.stderr).not.toContain('xoxb-test-token');
  });

  it('bad flags are bad usage, exit 2', async () => {
    const run = await runCliInProcess(['digest', '--bogus'], { ...env, CONFIG_FILE: configWith('') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('s3-chatops digest [--post] [--json]');
  });
});
