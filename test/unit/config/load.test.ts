import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, findBucket, loadConfig } from '../../../src/config/load.js';
import { DEFAULT_METRICS_FILTER_ID, DEFAULT_TEST_PREFIX } from '../../../src/config/schema.js';

const MINIMAL = `
buckets:
  - name: amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp
    alias: surgical-docs
    quota: 500GB            # for the size-quota rule
    testPrefix: _s3-chatops/test/
channels:
  alerts: C0ALERTS          # Slack channel ids
  digest: C0DIGEST
  audit: C0AUDIT
cleanup:
  olderThanDays: 7
  allowedUsers: [U0ADMIN]   # Slack user ids who may confirm a cleanup
budget:
  monthlyUsd: 200
`;

const BOT_ENV = {
  AWS_REGION: 'us-east-1',
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'shhh-secret',
};

function files(map: Record<string, string>) {
  return async (path: string) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the minimal file of the spec as it is, with every default', async () => {
    const config = await loadConfig({ env: BOT_ENV, purpose: 'bot', readFile: files({ 's3-chatops.yml': MINIMAL }) });
    const [bucket] = config.buckets;
    expect(bucket?.alias).toBe('surgical-docs');
    expect(bucket?.quota).toBe(500e9);
    expect(bucket?.testPrefix).toBe(DEFAULT_TEST_PREFIX);
    expect(bucket?.requestMetricsFilterId).toBe(DEFAULT_METRICS_FILTER_ID);
    expect(config.cleanup).toEqual({ olderThanDays: 7, allowedUsers: ['U0ADMIN'], includeUnmarked: false, takeoverSeconds: 30 });
    expect(config.costs.cacheHours).toBe(6);
    expect(config.uploads.scanBudget).toBe(10_000);
    expect(config.schedules.timezone).toBe('UTC');
    expect(config.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.env.PORT).toBe(3000);
    expect(config.region).toBe('us-east-1');
    expect(config.slack.botToken).toBe('xoxb-1-2-abc');
  });

  it('loads the shipped example file', async () => {
    const example = readFileSync('s3-chatops.example.yml', 'utf8');
    const config = await loadConfig({ env: BOT_ENV, purpose: 'bot', readFile: files({ 's3-chatops.yml': example }) });
    expect(config.buckets[0]?.name).toBe('amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp');
  });

  it('reads the file named by CONFIG_FILE', async () => {
    const config = await loadConfig({
      env: { ...BOT_ENV, CONFIG_FILE: '/etc/bot.yml' },
      purpose: 'cli',
      readFile: files({ '/etc/bot.yml': 'buckets: [{ name: my-bucket }]' }),
    });
    expect(config.configFile).toBe('/etc/bot.yml');
    expect(findBucket(config, 'my-bucket')?.name).toBe('my-bucket');
  });

  it('lists every problem at once: environment and file together', async () => {
    const yaml = `
buckets:
  - name: Not_A_Bucket
    quota: lots
    testPrefix: no-slash
  - name: second-bucket
    alias: docs
  - name: third-bucket
    alias: docs
schedules:
  timezone: Mars/Olympus
  digestTime: "25:00"
colour: blue
`;
    const problems = await problemsOf(
      loadConfig({ env: { PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxp-user' }, purpose: 'bot', readFile: files({ 's3-chatops.yml': yaml }) }),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/SLACK_BOT_TOKEN must be a bot token/);
    expect(text).toMatch(/buckets\[0\]\.name: an S3 bucket name/);
    expect(text).toMatch(/buckets\[0\]\.quota: "lots" is not a size/);
    expect(text).toMatch(/buckets\[0\]\.testPrefix: the test prefix must end with "\/"/);
    expect(text).toMatch(/"docs" names two buckets/);
    expect(text).toMatch(/schedules\.timezone: not a time zone/);
    expect(text).toMatch(/schedules\.digestTime/);
    expect(text).toMatch(/unknown setting "colour"/);
    expect(problems.length).toBeGreaterThanOrEqual(9);
  });

  it('says exactly which Slack and AWS settings a bot is missing', async () => {
    const problems = await problemsOf(loadConfig({ env: {}, purpose: 'bot', readFile: files({ 's3-chatops.yml': MINIMAL }) }));
    expect(problems).toEqual([
      expect.stringMatching(/^AWS_REGION is not set/),
      expect.stringMatching(/^SLACK_BOT_TOKEN is not set/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET is not set/),
    ]);
  });

  it('needs no signing secret in Socket Mode, and no Slack settings at all on the command line', async () => {
    const read = files({ 's3-chatops.yml': MINIMAL });
    await expect(
      loadConfig({ env: { AWS_REGION: 'eu-west-1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, purpose: 'bot', readFile: read }),
    ).resolves.toMatchObject({ slack: { appToken: 'xapp-1' } });
    await expect(loadConfig({ env: { AWS_DEFAULT_REGION: 'eu-west-1' }, purpose: 'cli', readFile: read })).resolves.toMatchObject({
      region: 'eu-west-1',
    });
  });

  it('tells how to create a missing file and names unreadable YAML', async () => {
    expect(await problemsOf(loadConfig({ env: BOT_ENV, purpose: 'cli', readFile: files({}) }))).toEqual([
      expect.stringContaining('no such file; copy s3-chatops.example.yml'),
    ]);
    const bad = await problemsOf(loadConfig({ env: BOT_ENV, purpose: 'cli', readFile: files({ 's3-chatops.yml': 'buckets: [' }) }));
    expect(bad[0]).toMatch(/not valid YAML/);
  });

  it('keeps secrets out of its messages', async () => {
    const error = await loadConfig({
      env: { SLACK_BOT_TOKEN: 'xoxb-SECRET-VALUE', SLACK_SIGNING_SECRET: 'sig-SECRET', PORT: '-1' },
      purpose: 'bot',
      readFile: files({ 's3-chatops.yml': MINIMAL }),
    }).catch((e: unknown) => e as Error);
    expect(String((error as Error).message)).not.toMatch(/SECRET/);
  });
});

describe('findBucket', () => {
  it('finds by name or alias and nothing else', async () => {
    const config = await loadConfig({ env: BOT_ENV, purpose: 'cli', readFile: files({ 's3-chatops.yml': MINIMAL }) });
    expect(findBucket(config, 'surgical-docs')?.name).toMatch(/^amplify-/);
    expect(findBucket(config, config.buckets[0]!.name)?.alias).toBe('surgical-docs');
    expect(findBucket(config, 'some-other-bucket')).toBeUndefined();
    expect(findBucket(config, 'surgical')).toBeUndefined();
  });
});
