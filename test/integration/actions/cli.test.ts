import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from '../cli/run.js';
import { awsTestEnv, createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { seedCleanupBucket, versionsLeft, type CleanupSeed } from './seed-cleanup.js';

describeWithServices('s3-chatops test-upload and cleanup (moto)', () => {
  let seed: CleanupSeed;
  const s3 = createTestAwsClients().s3;
  let env: Record<string, string>;

  beforeAll(async () => {
    seed = await seedCleanupBucket('cli-cleanup', { old: 30, recent: 3, outside: 4 });
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-cli-')), 's3-chatops.yml');
    writeFileSync(file, `buckets:\n  - name: ${seed.bucket}\n    alias: docs\ncleanup:\n  olderThanDays: 7\n`);
    env = { ...awsTestEnv(), CONFIG_FILE: file, USER: 'ops' };
  }, 120_000);
  afterAll(() => s3.destroy());

  const run = async (argv: string[]) => {
    const out = await runCliProcess(argv, env);
    return { status: out.code, stdout: out.stdout, stderr: out.stderr };
  };

  it('test-upload prints each step and exits 0', async () => {
    const out = await run(['test-upload', 'docs']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/worked/);
    expect(out.stdout).toMatch(/Verify SHA-256/);
  }, 60_000);

  it('cleanup previews and deletes nothing without --yes, then deletes exactly the old test files with --yes', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const preview = await run(['cleanup', 'docs']);
    expect(preview.status).toBe(0);
    // The 30 test files and an old untagged lookalike of their form, which the deletion's tag check then keeps.
    expect(preview.stdout).toMatch(/31 objects/);
    expect(preview.stdout).toMatch(/Nothing was deleted/);
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);

    const done = await run(['cleanup', 'docs', '--yes']);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`${seed.oldVersions} versions deleted`));
    expect(done.stdout).toContain('2 old objects not written by the test upload were kept.');
    expect(await versionsLeft(s3, seed.bucket)).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
  }, 60_000);

  it('start refuses a test prefix cleanup could escape through: exit 1, naming the setting and why', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-cli-')), 's3-chatops.yml');
    writeFileSync(file, `buckets:\n  - name: ${seed.bucket}\n    testPrefix: "../"\n`);
    const out = await runCliProcess(['start'], { ...env, CONFIG_FILE: file, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-secret', PORT: '0' });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('buckets[0].testPrefix: the test prefix "../" has a "." or ".." folder');
  }, 60_000);

  it('bad usage exits 2', async () => {
    expect((await run(['cleanup', 'nope'])).status).toBe(2);
    expect((await run(['cleanup', 'docs', '--force'])).status).toBe(2);
  });
});
