import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketPolicyCommand, PutBucketLoggingCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { beforeAll, expect, it } from 'vitest';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { DENIED_TRAIL_KEY, DEPLOY_ROLE, s3As } from '../../helpers/trail.js';
import { runCliProcess } from './run.js';

// `s3-chatops changes` as a child process, CloudTrail served by the emulator from the calls made here.
describeWithServices('s3-chatops changes on the command line', () => {
  const name = uniqueBucketName('cli-changes');
  const logs = uniqueBucketName('cli-changes-logs');
  let env: Record<string, string>;

  beforeAll(async () => {
    await createBucket(name);
    await createBucket(logs);
    const alice = s3As({ type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice', accountId: '123456789012' }, '192.0.2.44');
    await alice.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    await alice.send(new DeleteBucketPolicyCommand({ Bucket: name }));
    await s3As(DEPLOY_ROLE, '198.51.100.7').send(new PutBucketLoggingCommand({ Bucket: name, BucketLoggingStatus: {} }));
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-changes-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(configFile, `buckets:\n  - name: ${name}\n    alias: docs\n`);
    env = { ...awsTestEnv(), CONFIG_FILE: configFile, REDIS_URL: redisUrl() };
  });

  it('prints the changes, newest first, with who and what', async () => {
    const run = await runCliProcess(['changes', 'docs', '--since', '1h'], env);
    expect(run.code).toBe(0);
    const lines = ['server access logging off', 'bucket policy deleted', 'bucket policy replaced (1 statement)', 'bucket created'].map((l) => run.stdout.indexOf(l));
    expect(lines.every((at) => at > -1), run.stdout).toBe(true);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(run.stdout).toContain('user alice from 192.0.2.44');
  });

  it('--json prints the data behind it', async () => {
    const run = await runCliProcess(['changes', name, '--json', '--who', 'user alice'], env);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout) as { who: string; changes: { call: string; who: string; changed: string[]; risks: string[]; sourceIp: string }[] };
    expect(data.who).toBe('user alice');
    expect(data.changes.map((c) => [c.call, c.who, c.sourceIp, c.changed])).toEqual([
      ['DeleteBucketPolicy', 'user alice', '192.0.2.44', ['bucket policy deleted']],
      ['PutBucketPolicy', 'user alice', '192.0.2.44', ['bucket policy replaced (1 statement)']],
    ]);
  });

  it('names the missing permission when CloudTrail refuses', async () => {
    const run = await runCliProcess(['changes', 'docs'], { ...env, AWS_ACCESS_KEY_ID: DENIED_TRAIL_KEY });
    expect(run.stdout).toContain("AWS denied LookupEvents. Grant the bot's IAM role cloudtrail:LookupEvents.");
  });

  it('the digest lists the day\'s changes of each bucket, with who made them', async () => {
    const run = await runCliProcess(['digest'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Configuration changes in 24 h: 4 · server access logging off by assumed-role Deploy\/ci-1234 at [^;]+; bucket policy deleted by user alice at [^;]+; bucket policy replaced \(1 statement\) by user alice at [^;]+; \+1 more \(\/s3 changes docs --since 24h\)/);
  });

  it('doctor checks cloudtrail:LookupEvents, and names what is lost without it', async () => {
    const granted = await runCliProcess(['doctor'], env);
    expect(granted.stdout).toMatch(/ok    cloudtrail: LookupEvents answered \(\d+ management events? about /);
    const denied = await runCliProcess(['doctor'], { ...env, AWS_ACCESS_KEY_ID: DENIED_TRAIL_KEY });
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain("FAIL  cloudtrail: AWS denied LookupEvents. Grant the bot's IAM role `cloudtrail:LookupEvents`. Without it: `changes`, the last change");
  });

  it('help lists it', async () => {
    const run = await runCliProcess(['--help'], env);
    expect(run.stdout).toContain('changes [bucket] [--since 7d] [--who PRINCIPAL]');
  });
});
