import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliIo } from '../../../src/cli.js';
import { createCommandRegistry } from '../../../src/commands/registry.js';
import type { PortsOptions } from '../../../src/cli/ports.js';
import type { Config } from '../../../src/config/load.js';
import { startFakeTeams } from '../../helpers/fake-teams.js';
import { parseEvents } from '../render/teams/adaptive-sdk.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { Capture, CONFIG_YAML, ENV, FakeS3, fakePorts, fakeRegistry, facts, handle } from './fakes.js';

function io(overrides: Partial<CliIo> = {}): CliIo & { stdout: Capture; stderr: Capture } {
  return {
    stdout: new Capture(),
    stderr: new Capture(),
    env: { ...ENV },
    now: () => new Date('2025-03-01T12:00:00Z'),
    readFile: async () => CONFIG_YAML,
    createPorts: async () => handle(),
    connectRedis: async () => {
      throw new Error('connect ECONNREFUSED');
    },
    redisPing: async () => undefined,
    slackAuthTest: async () => ({ team: 'Acme', user: 's3-chatops' }),
    createS3: () => new FakeS3() as never,
    registry: fakeRegistry,
    ...overrides,
  } as CliIo & { stdout: Capture; stderr: Capture };
}

describe('runCli: read commands', () => {
  it('prints the rendered report and exits 0', async () => {
    const cli = io();
    expect(await runCli(['status', 'docs'], cli)).toBe(0);
    expect(cli.stdout.text).toContain('docs-bucket-1');
    expect(cli.stdout.text).toContain('us-east-1');
    expect(cli.stderr.text).toBe('');
  });

  it('prints the report data as JSON with --json', async () => {
    const cli = io();
    expect(await runCli(['status', 'docs-bucket-1', '--json'], cli)).toBe(0);
    expect(JSON.parse(cli.stdout.text)).toEqual({ bucket: 'docs-bucket-1', region: 'us-east-1', at: '2025-03-01T12:00:00.000Z' });
  });

  it('closes the ports it opened', async () => {
    const close = vi.fn();
    const cli = io({ createPorts: async () => ({ ports: fakePorts(), close }) });
    await runCli(['status', 'docs'], cli);
    expect(close).toHaveBeenCalledOnce();
  });

  it('exits 2 with the problem and the usage on bad input', async () => {
    for (const argv of [['status', 'nope'], ['costs', '--bogus'], ['status', 'docs', 'logs-bucket-2'], ['costs', 'docs']]) {
      const cli = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(cli.stdout.text).toBe('');
      expect(cli.stderr.text).toMatch(/^s3-chatops: .+\n\nUsage:\n  s3-chatops /);
    }
  });

  it('names the configured buckets when one is unknown', async () => {
    const cli = io();
    await runCli(['status', 'secret'], cli);
    expect(cli.stderr.text).toContain('Unknown bucket `secret`; the configured ones are `docs` (docs-bucket-1), `logs-bucket-2`.');
  });

  it('exits 2 on an unknown command without needing a configuration', async () => {
    const cli = io({ readFile: async () => Promise.reject(new Error('must not be read')) });
    expect(await runCli(['frobnicate'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('unknown command `frobnicate`');
    expect(cli.stderr.text).toContain('s3-chatops doctor');
  });

  it('exits 1 and lists every configuration problem at once', async () => {
    const missing = Object.assign(new Error('no file'), { code: 'ENOENT' });
    const cli = io({ env: { CONFIG_FILE: 'absent.yml' }, readFile: async () => Promise.reject(missing) });
    expect(await runCli(['status'], cli)).toBe(1);
    expect(cli.stderr.text).toContain('absent.yml: no such file');
    expect(cli.stderr.text).toContain('AWS_REGION is not set');
  });

  it('exits 1 with the user message of an AWS error', async () => {
    const cli = io();
    expect(await runCli(['broken'], cli)).toBe(1);
    expect(cli.stderr.text).toBe("s3-chatops: AWS refused s3:GetBucketPolicy on docs-bucket-1; grant it to the bot's role.\n");
  });

  it('exits 1 without a stack trace on an unexpected error', async () => {
    const cli = io({ createPorts: async () => Promise.reject(new Error('boom')) });
    expect(await runCli(['status', 'docs'], cli)).toBe(1);
    expect(cli.stderr.text).toContain('boom');
    expect(cli.stderr.text).not.toContain('    at ');
  });
});

describe('runCli: costs and Redis', () => {
  it('goes without the cache, with a note on stderr, when Redis does not answer', async () => {
    const createPorts = vi.fn(async (_config: Config, _options: PortsOptions) => handle());
    const cli = io({ createPorts });
    expect(await runCli(['costs'], cli)).toBe(0);
    expect(cli.stdout.text).toContain('Cost 1.5');
    expect(cli.stderr.text).toMatch(/^note: Redis at redis:\/\/127\.0\.0\.1:1 did not answer .*without the cache/);
    expect(createPorts.mock.calls[0]![1]).not.toHaveProperty('redis');
  });

  it('hands Redis to the ports when it answers, and disconnects after', async () => {
    const redis = { disconnect: vi.fn() };
    const createPorts = vi.fn(async (_config: Config, _options: PortsOptions) => handle());
    const cli = io({ createPorts, connectRedis: async () => redis as never });
    expect(await runCli(['costs', '--days', '3'], cli)).toBe(0);
    expect(createPorts.mock.calls[0]![1]).toHaveProperty('redis', redis);
    expect(redis.disconnect).toHaveBeenCalledOnce();
    expect(cli.stderr.text).toBe('');
  });

  it('alerts without Redis says Redis is where alerts live, and nothing about Cost Explorer', async () => {
    const cli = io({ registry: createCommandRegistry() });
    expect(await runCli(['alerts'], cli)).toBe(1);
    expect(cli.stderr.text).toContain('Alerts live in Redis, and Redis is not reachable from here; check REDIS_URL.');
    expect(cli.stderr.text).toContain('Redis at redis://127.0.0.1:1 did not answer (connect ECONNREFUSED)');
    expect(cli.stderr.text).not.toMatch(/Cost Explorer|cache/);
  });

  it('does not touch Redis for the other read commands', async () => {
    const connectRedis = vi.fn();
    await runCli(['status', 'docs'], io({ connectRedis }));
    expect(connectRedis).not.toHaveBeenCalled();
  });
});

describe('runCli: help', () => {
  it('prints every read command of the real registry, and the command-line-only ones', async () => {
    const cli = io({ registry: createCommandRegistry() });
    expect(await runCli(['help'], cli)).toBe(0);
    for (const verb of ['status', 'uploads', 'errors', 'costs', 'doctor', 'manifest', 'start', 'alerts evaluate [--post]', 'digest --post', 'teams test']) {
      expect(cli.stdout.text).toContain(`s3-chatops ${verb}`);
    }
  });

  it('prints help with no arguments and with --help', async () => {
    for (const argv of [[], ['--help'], ['-h']]) {
      const cli = io();
      expect(await runCli(argv, cli)).toBe(0);
      expect(cli.stdout.text).toMatch(/^Usage: s3-chatops <command>/);
    }
  });
});

describe('runCli: version, typos and flags', () => {
  it('prints the package version with --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const cli = io();
      expect(await runCli([flag], cli)).toBe(0);
      expect(cli.stdout.text).toBe(`s3-chatops ${version}\n`);
    }
  });

  it('suggests the command a typo was meant to be, instead of the whole usage', async () => {
    const cli = io({ registry: createCommandRegistry() });
    expect(await runCli(['statsu'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('unknown command `statsu`; did you mean `status`?');
    expect(cli.stderr.text).not.toContain('Usage:');
  });

  it('prints the whole usage for a word that is no typo of a command', async () => {
    const cli = io({ registry: createCommandRegistry() });
    expect(await runCli(['frobnicate'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('Usage:');
    expect(cli.stderr.text).toContain('s3-chatops test-upload <bucket> [--json]');
  });

  it('prints the help for `<command> --help`, not an unknown-flag error', async () => {
    const cli = io({ registry: createCommandRegistry() });
    expect(await runCli(['cleanup', '--help'], cli)).toBe(0);
    expect(cli.stdout.text).toContain('s3-chatops cleanup <bucket> [--yes] [--json]');
    expect(cli.stderr.text).toBe('');
  });

  it('hands the ports a progress line writer only when stderr is a terminal', async () => {
    const createPorts = vi.fn(async (_config: Config, _options: PortsOptions) => handle());
    const tty = io({ createPorts });
    tty.stderr.isTTY = true;
    expect(await runCli(['status', 'docs'], tty)).toBe(0);
    createPorts.mock.calls[0]![1].progress!('scanned 5 keys so far…\n');
    expect(tty.stderr.text).toBe('scanned 5 keys so far…\n');

    expect(await runCli(['status', 'docs'], io({ createPorts }))).toBe(0);
    expect(createPorts.mock.calls[1]![1]).not.toHaveProperty('progress');
  });

  it('says an unknown flag of alerts evaluate in its own words', async () => {
    const cli = io();
    expect(await runCli(['alerts', 'evaluate', '--dry'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('unknown flag `--dry`; `alerts evaluate` takes --post');
    expect(cli.stderr.text).not.toMatch(/Unknown option|positional argument/);
  });

  it('says unknown flags of digest, start and manifest the same way', async () => {
    for (const [argv, expected] of [
      [['digest', '--dry'], 'unknown flag `--dry`; `digest` takes --post, --json'],
      [['start', '--rol', 'bot'], 'unknown flag `--rol`; `start` takes --role VALUE'],
      [['manifest', '--url'], '`--url` needs a value'],
    ] as const) {
      const cli = io();
      expect(await runCli([...argv], cli)).toBe(2);
      expect(cli.stderr.text).toContain(expected);
    }
  });
});

describe('runCli: doctor', () => {
  it('exits 0 when every check passes, one line per check', async () => {
    const cli = io({ env: { ...ENV, SLACK_BOT_TOKEN: 'xoxb-1-secret-token' } });
    expect(await runCli(['doctor'], cli)).toBe(0);
    const lines = cli.stdout.text.trim().split('\n');
    expect(lines).toContain('ok    configuration: test.yml: 2 buckets, region us-east-1');
    expect(lines).toContain('ok    bucket docs (docs-bucket-1): settings: every setting readable, region us-east-1');
    expect(lines).toContain('ok    bucket logs-bucket-2: objects: listing works');
    expect(lines).toContain('ok    slack: auth.test: s3-chatops in Acme');
    expect(lines).toContain('ok    redis: PING answered at redis://127.0.0.1:1');
    expect(cli.stdout.text).not.toContain('secret-token');
  });

  it('names the missing permission of a fact it cannot read, and exits 1', async () => {
    const ports = fakePorts({
      facts: {
        getFacts: async (bucket) =>
          facts(bucket, bucket === 'docs-bucket-1' ? [{ fact: 'encryption', message: 'Access denied: the bot needs s3:GetEncryptionConfiguration on docs-bucket-1.' }] : []),
      },
    });
    const cli = io({ createPorts: async () => handle(ports) });
    expect(await runCli(['doctor'], cli)).toBe(1);
    expect(cli.stdout.text).toContain('FAIL  bucket docs (docs-bucket-1): encryption: Access denied: the bot needs s3:GetEncryptionConfiguration on docs-bucket-1.');
    expect(cli.stdout.text).toContain('ok    bucket logs-bucket-2: settings');
    expect(cli.stdout.text).toContain('1 check failed.');
  });

  it('fails on Slack refusing the token and on Redis not answering', async () => {
    const refused = Object.assign(new Error('An API error occurred: invalid_auth'), { data: { ok: false, error: 'invalid_auth' } });
    const cli = io({
      env: { ...ENV, SLACK_BOT_TOKEN: 'xoxb-bad' },
      slackAuthTest: async () => Promise.reject(refused),
      redisPing: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
    });
    expect(await runCli(['doctor'], cli)).toBe(1);
    expect(cli.stdout.text).toContain('FAIL  slack: auth.test answered invalid_auth');
    expect(cli.stdout.text).toContain('FAIL  redis: no answer at redis://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)');
  });

  it('skips Slack when no token is set', async () => {
    const slackAuthTest = vi.fn();
    const cli = io({ slackAuthTest });
    expect(await runCli(['doctor'], cli)).toBe(0);
    expect(cli.stdout.text).toContain('skip  slack: SLACK_BOT_TOKEN is not set');
    expect(slackAuthTest).not.toHaveBeenCalled();
  });

  it('lists every configuration problem and still checks Redis', async () => {
    const cli = io({ env: { CONFIG_FILE: 'x.yml' }, readFile: async () => 'buckets: []\nbogus: 1\n' });
    expect(await runCli(['doctor'], cli)).toBe(1);
    const fails = cli.stdout.text.split('\n').filter((l) => l.startsWith('FAIL  configuration'));
    expect(fails.length).toBeGreaterThanOrEqual(3);
    expect(cli.stdout.text).toContain('skip  buckets: not checked until the configuration loads');
    expect(cli.stdout.text).toContain('ok    redis');
  });

  it('writes, tags, reads, lists and deletes by version a small object under each test prefix', async () => {
    const s3 = new FakeS3();
    const cli = io({ createS3: () => s3 as never });
    expect(await runCli(['doctor'], cli)).toBe(0);
    const docs = s3.calls.filter((c) => c.input.Bucket === 'docs-bucket-1');
    expect(docs.map((c) => c.command)).toEqual(['PutObject', 'GetObjectTagging', 'GetObject', 'ListObjectVersions', 'DeleteObject']);
    expect(docs[0]!.input).toMatchObject({ Tagging: 's3-chatops=test' });
    expect(String(docs[0]!.input.Key)).toMatch(/^_s3-chatops\/test\//);
    expect(docs[4]!.input).toMatchObject({ Key: docs[0]!.input.Key, VersionId: 'v-1' });
    expect(cli.stdout.text).toMatch(/ok {4}bucket docs \(docs-bucket-1\): test prefix delete: deleted version v-1 of _s3-chatops\/test\//);
  });

  it('says which feature a refused test-prefix permission disables', async () => {
    const cli = io({ createS3: () => new FakeS3(['DeleteObject']) as never });
    expect(await runCli(['doctor'], cli)).toBe(1);
    const line = cli.stdout.text.split('\n').find((l) => l.startsWith('FAIL  bucket docs (docs-bucket-1): test prefix delete'));
    expect(line).toContain('s3:DeleteObject');
    expect(line).toContain("Without it: the test upload's delete step and cleanup's deletions.");
    expect(line).toContain('stays behind, tagged, until a cleanup deletes it');
  });

  it('checks nothing after a refused write, and says test uploads are off', async () => {
    const s3 = new FakeS3(['PutObject']);
    const cli = io({ createS3: () => s3 as never });
    expect(await runCli(['doctor'], cli)).toBe(1);
    expect(s3.calls.filter((c) => c.input.Bucket === 'docs-bucket-1').map((c) => c.command)).toEqual(['PutObject']);
    expect(cli.stdout.text).toMatch(/FAIL {2}bucket docs \(docs-bucket-1\): test prefix write, tagged: .*s3:PutObject.* Without it: test uploads/);
  });

  it('asks Cost Explorer once, and says what a refusal disables', async () => {
    const getDailyCost = vi.fn(async () => Promise.reject(new UserFacingError('aws_access_denied', 'Access denied: the bot needs ce:GetCostAndUsage.')));
    const cli = io({ createPorts: async () => handle(fakePorts({ costs: { getDailyCost, getForecast: async () => null } })) });
    expect(await runCli(['doctor'], cli)).toBe(1);
    expect(getDailyCost).toHaveBeenCalledOnce();
    expect(cli.stdout.text).toContain("FAIL  cost explorer: Access denied: the bot needs ce:GetCostAndUsage. Without it: `costs`, the digest's cost section and the cost-budget alert.");
  });

  it('lists and reads the access-log bucket a bucket logs to, and says what a refusal disables', async () => {
    const logging = { targetBucket: 'log-bucket', targetPrefix: 'docs/', partitioned: false };
    const read = vi.fn(async () => (async function* () { yield new Uint8Array(1); })());
    let refuse = false;
    const accessLogs = {
      objects: {
        list: (bucket: string) => (async function* () {
          if (refuse) throw new UserFacingError('aws_access_denied', `Access denied: the bot needs s3:ListBucket on ${bucket}.`);
          yield { objects: [{ key: 'docs/2025-01-01-00-00-00-AAAA', etag: 'e', size: 1, lastModified: new Date(0) }], commonPrefixes: [] };
        })(),
        read,
      },
      countsCache: { get: async () => null, set: async () => undefined },
    };
    const ports = fakePorts({ facts: { getFacts: async (bucket) => ({ ...facts(bucket), logging }) }, accessLogs });
    const ok = io({ createPorts: async () => handle(ports) });
    expect(await runCli(['doctor'], ok)).toBe(0);
    expect(ok.stdout.text).toContain('ok    bucket docs (docs-bucket-1): access log: s3://log-bucket/docs/ listable and readable');
    expect(read).toHaveBeenCalledWith('log-bucket', 'docs/2025-01-01-00-00-00-AAAA');

    refuse = true;
    const denied = io({ createPorts: async () => handle(ports) });
    expect(await runCli(['doctor'], denied)).toBe(1);
    expect(denied.stdout.text).toContain('FAIL  bucket docs (docs-bucket-1): access log: Access denied: the bot needs s3:ListBucket on log-bucket. Without it: uploads by requester and denied requests');
  });

  it('reports an AWS error thrown by a port as a failed check', async () => {
    const ports = fakePorts({ listing: { listNewest: async () => Promise.reject(new Error('socket hang up')) } });
    const cli = io({ createPorts: async () => handle(ports) });
    expect(await runCli(['doctor'], cli)).toBe(1);
    expect(cli.stdout.text).toMatch(/FAIL {2}bucket docs \(docs-bucket-1\): objects: Something went wrong/);
  });
});

describe('runCli: manifest', () => {
  it('prints the shipped manifest with the placeholder URL when no --url is given', async () => {
    const cli = io();
    expect(await runCli(['manifest'], cli)).toBe(0);
    const manifest = parseYaml(cli.stdout.text);
    expect(manifest.features.slash_commands[0].command).toBe('/s3');
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://example.com/slack/events');
  });

  it('points every request URL at --url', async () => {
    const cli = io();
    expect(await runCli(['manifest', '--url', 'https://bot.acme.org'], cli)).toBe(0);
    const manifest = parseYaml(cli.stdout.text);
    expect(manifest.features.slash_commands[0].url).toBe('https://bot.acme.org/slack/events');
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://bot.acme.org/slack/events');
    expect(manifest.settings.interactivity.request_url).toBe('https://bot.acme.org/slack/events');
    expect(cli.stdout.text).not.toContain('example.com');
  });

  it('exits 2 on a URL Slack would not call', async () => {
    for (const argv of [['manifest', '--url', 'http://bot.acme.org'], ['manifest', '--url', 'not a url'], ['manifest', '--url'], ['manifest', 'extra']]) {
      const cli = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(cli.stdout.text).toBe('');
    }
  });
});

describe('runCli: start', () => {
  const slackEnv = { ...ENV, SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'shh-secret' };

  it('starts the bot with the loaded configuration', async () => {
    const startBot = vi.fn(async (_config: Config) => undefined);
    const cli = io({ env: slackEnv, startBot });
    expect(await runCli(['start', '--role', 'bot'], cli)).toBe(0);
    expect(startBot.mock.calls[0]![0].slack.botToken).toBe('xoxb-1-2');
  });

  it('exits 1 naming the missing Slack setting when only some are given: a token without a secret is a mistake, not a playground', async () => {
    const startBot = vi.fn();
    const startPlayground = vi.fn();
    const cli = io({ env: { ...ENV, SLACK_BOT_TOKEN: 'xoxb-1-2' }, startBot, startPlayground });
    expect(await runCli(['start'], cli)).toBe(1);
    expect(cli.stderr.text).toContain('SLACK_SIGNING_SECRET is not set');
    expect(startBot).not.toHaveBeenCalled();
    expect(startPlayground).not.toHaveBeenCalled();
  });

  it('without any Slack setting starts the playground on 127.0.0.1:PORT and says how to connect Slack', async () => {
    const startBot = vi.fn();
    const startPlayground = vi.fn(async (_config: Config, _logger: unknown, options: { port: number }) => ({ url: `http://127.0.0.1:${options.port}`, stop: async () => undefined }));
    const cli = io({ env: { ...ENV, PORT: '4123', LOG_LEVEL: 'silent', TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/webhookb2/x' }, startBot, startPlayground });
    expect(await runCli(['start'], cli)).toBe(0);
    expect(startBot).not.toHaveBeenCalled();
    expect(startPlayground).toHaveBeenCalledOnce();
    // What the playground's worker posts stays on its page.
    expect(startPlayground.mock.calls[0]![0].env.TEAMS_WEBHOOK_URL).toBeUndefined();
    expect(startPlayground.mock.calls[0]![2]).toMatchObject({ port: 4123 });
    expect(cli.stdout.text).toContain('No Slack settings: the playground is on http://127.0.0.1:4123');
    expect(cli.stdout.text).toContain('set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to connect Slack');
  });

  it('--role worker without Slack settings stays the worker, and --demo with it is refused', async () => {
    const startPlayground = vi.fn();
    const cli = io({ env: { ...ENV, LOG_LEVEL: 'silent' }, startPlayground });
    expect(await runCli(['start', '--role', 'worker', '--demo'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('--demo runs the playground, which is bot and worker together');
    expect(startPlayground).not.toHaveBeenCalled();
  });

  it('exits 2 for a role that does not exist', async () => {
    const startBot = vi.fn();
    const cli = io({ env: slackEnv, startBot });
    expect(await runCli(['start', '--role', 'nope'], cli)).toBe(2);
    expect(cli.stderr.text).toContain('there is no `nope` role');
    expect(startBot).not.toHaveBeenCalled();
  });
});

describe('runCli: teams test', () => {
  const SIG = 'cnVuLWNsaS10ZWFtcy10ZXN0LXNpZ25hdHVyZQ';

  it('posts one card the Adaptive Cards SDK parses to the webhook and prints what Teams answered', async () => {
    const teams = await startFakeTeams();
    try {
      const cli = io({ env: { ...ENV, TEAMS_WEBHOOK_URL: teams.url(SIG) }, readFile: async () => Promise.reject(new Error('needs no configuration file')) });
      expect(await runCli(['teams', 'test'], cli)).toBe(0);
      expect(teams.received).toHaveLength(1);
      expect(teams.received[0]!.body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(parseEvents(teams.received[0]!.body.attachments?.[0]?.content)).toEqual([]);
      expect(cli.stdout.text).toContain('Posted a test card; Teams answered 202.');
      expect(cli.stdout.text + cli.stderr.text).not.toContain(SIG);
    } finally {
      await teams.stop();
    }
  });

  it('exits 1 with what Teams answered when the webhook answers an error, posting once', async () => {
    const teams = await startFakeTeams();
    try {
      for (const [status, body, says] of [
        [404, 'WorkflowNotFound', 'the Teams webhook answered 404: WorkflowNotFound. The workflow may have been deleted or turned off'],
        [500, 'InternalServerError', 'the Teams webhook answered 500: InternalServerError'],
      ] as const) {
        teams.answerNext({ status, body });
        const before = teams.received.length;
        const cli = io({ env: { ...ENV, TEAMS_WEBHOOK_URL: teams.url(SIG) } });
        expect(await runCli(['teams', 'test'], cli)).toBe(1);
        expect(teams.received.length - before).toBe(1);
        expect(cli.stderr.text).toContain(`s3-chatops: the test card was not posted: ${says}`);
        expect(cli.stdout.text).toBe('');
        expect(cli.stderr.text).not.toContain(SIG);
      }
    } finally {
      await teams.stop();
    }
  });

  it('exits 1 saying how to get a webhook when TEAMS_WEBHOOK_URL is not set', async () => {
    const cli = io();
    expect(await runCli(['teams', 'test'], cli)).toBe(1);
    expect(cli.stderr.text).toContain('TEAMS_WEBHOOK_URL is not set');
    expect(cli.stderr.text).toContain('Post to a channel when a webhook request is received');
  });
});
