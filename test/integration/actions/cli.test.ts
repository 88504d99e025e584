import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli.js';
import { Capture } from '../../unit/cli/fakes.js';
import { runCliInProcess, runCliProcess } from '../cli/run.js';
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
    const out = await runCliInProcess(argv, env);
    return { status: out.code, stdout: out.stdout, stderr: out.stderr };
  };

  it('test-upload prints each step and exits 0', async () => {
    const out = await run(['test-upload', 'docs']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/worked/);
    expect(out.stdout).toMatch(/Verify SHA-256/);
    // Node 20 makes the AWS SDK warn about its next major release; the command line does not repeat that on every command.
    expect(out.stderr).not.toContain('NodeVersionSupportWarning');
  }, 60_000);

  it('test-upload --json gives step times in whole milliseconds', async () => {
    const out = await run(['test-upload', 'docs', '--json']);
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout) as { totalMs: number; steps: { name: string; ms: number }[] };
    expect(result.steps.map((s) => s.name)).toEqual(['write', 'read', 'verify', 'delete']);
    for (const ms of [result.totalMs, ...result.steps.map((s) => s.ms)]) expect(Number.isInteger(ms)).toBe(true);
  }, 60_000);

  it('test-upload shows each step on a terminal\'s stderr while it runs, and the old name test still works', async () => {
    const stdout = new Capture();
    const stderr = Object.assign(new Capture(), { isTTY: true });
    // In-process, the SDK finds its credentials in this process's environment, as it does in the program.
    for (const [name, value] of Object.entries(awsTestEnv())) vi.stubEnv(name, value);
    try {
      expect(await runCli(['test', 'docs'], { stdout, stderr, env })).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stderr.text).toContain('writing the test object');
    expect(stderr.text).toContain('reading it back and checking it');
    expect(stderr.text).toContain('deleting');
    expect(stdout.text).toMatch(/worked/);
  }, 60_000);

  it('cleanup previews and deletes nothing without --yes, then deletes exactly the old test files with --yes', async () => {
    const before = await versionsLeft(s3, seed.bucket);
    const preview = await run(['cleanup', 'docs']);
    expect(preview.status).toBe(0);
    // The 30 test files and an old untagged lookalike of their form, which the deletion's tag check then keeps.
    expect(preview.stdout).toMatch(/31 objects/);
    expect(preview.stdout).toMatch(/Nothing was deleted/);
    // The hint runs as printed: the alias alone, not the label with the name in brackets.
    expect(preview.stdout).toContain('Run `s3-chatops cleanup docs --yes`');
    expect(await versionsLeft(s3, seed.bucket)).toEqual(before);

    const done = await run(['cleanup', 'docs', '--yes']);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`${seed.oldVersions} versions deleted`));
    expect(done.stdout).toContain('2 old objects not written by the test upload were kept.');
    expect(done.stdout).toContain('confirmed by ops on the command line');
    expect(done.stdout).not.toContain('<@');
    expect(await versionsLeft(s3, seed.bucket)).toEqual(new Map([...before].filter(([key]) => !seed.oldKeys.includes(key))));
  }, 60_000);

  it('start refuses a test prefix cleanup could escape through: exit 1, naming the setting and why', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-cli-')), 's3-chatops.yml');
    writeFileSync(file, `buckets:\n  - name: ${seed.bucket}\n    testPrefix: "../"\n`);
    // A child: were the refusal lost, `start` would run a bot, which only a process can be stopped from.
    const out = await runCliProcess(['start'], { ...env, CONFIG_FILE: file, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-secret', PORT: '0' });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('buckets[0].testPrefix: the test prefix "../" has a "." or ".." folder');
  }, 60_000);

  it('bad usage exits 2', async () => {
    expect((await run(['cleanup', 'nope'])).status).toBe(2);
    expect((await run(['cleanup', 'docs', '--force'])).status).toBe(2);
  });
});
