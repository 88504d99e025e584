import { describe, expect, it } from 'vitest';
import { describeParseError, parseCliArgs } from '../../../src/cli/args.js';
import { nodeVersionCheck, quietSdkNodeVersionWarning } from '../../../src/cli/sdk-warning.js';
import { shellWord } from '../../../src/cli/shell.js';
import { closestWord, editDistance } from '../../../src/cli/suggest.js';
import { cliHelp, cliUsageLines, cliVerbs } from '../../../src/cli/usage.js';
import { createCommandRegistry } from '../../../src/commands/registry.js';

describe('cliHelp', () => {
  const help = cliHelp(createCommandRegistry());

  it('lists test-upload, not the Slack verb test', () => {
    expect(help).toContain('s3-chatops test-upload <bucket> [--json]');
    expect(help).not.toMatch(/s3-chatops test \[bucket\]/);
  });

  it('lists cleanup with the --yes it needs and says what --yes does', () => {
    expect(help).toContain('s3-chatops cleanup <bucket> [--yes] [--json]');
    expect(help).toMatch(/--yes deletes them/);
    expect(help).not.toMatch(/then asks to confirm/);
  });

  it('shows every role of start and the version flag', () => {
    expect(help).toContain('s3-chatops start [--role all|bot|worker]');
    expect(help).toContain('s3-chatops --version');
  });

  it('keeps the registry read commands and their summaries', () => {
    for (const line of ['s3-chatops status [bucket]', 's3-chatops uploads [bucket]', 's3-chatops digest [--post] [--json]', 's3-chatops alerts evaluate [--post]']) expect(help).toContain(line);
    expect(cliUsageLines(createCommandRegistry())).not.toContain('test [bucket]');
  });
});

describe('closestWord', () => {
  const verbs = cliVerbs(createCommandRegistry());

  it('suggests status for statsu, a swap of two letters', () => {
    expect(editDistance('statsu', 'status')).toBe(1);
    expect(closestWord('statsu', verbs)).toBe('status');
  });

  it('suggests the command-line verbs too', () => {
    expect(closestWord('doctr', verbs)).toBe('doctor');
    expect(closestWord('test-uplod', verbs)).toBe('test-upload');
    expect(closestWord('CLEANUP', verbs)).toBe('cleanup');
  });

  it('suggests nothing for a word far from every verb', () => {
    expect(closestWord('frobnicate', verbs)).toBeUndefined();
    expect(closestWord('xyz', verbs)).toBeUndefined();
  });
});

describe('parseCliArgs', () => {
  it('names an unknown flag and the flags the command takes, not Node\'s message', () => {
    const parsed = parseCliArgs('alerts evaluate', ['evaluate', '--dry'], { post: { type: 'boolean' } }, true);
    expect(parsed).toEqual({ problem: 'unknown flag `--dry`; `alerts evaluate` takes --post' });
  });

  it('says a flag needs a value, and that a switch takes none', () => {
    expect(parseCliArgs('start', ['--role'], { role: { type: 'string' } })).toEqual({ problem: '`--role` needs a value, as in `--role VALUE`' });
    expect(parseCliArgs('cleanup', ['--yes=1'], { yes: { type: 'boolean' } }, true)).toEqual({ problem: '`--yes` takes no value' });
  });

  it('names a stray word for a command without positionals', () => {
    expect(parseCliArgs('digest', ['now'], { post: { type: 'boolean' }, json: { type: 'boolean' } })).toEqual({ problem: '`digest` takes no word like `now`; `digest` takes --post, --json' });
  });

  it('says a command takes no flags, and never repeats control characters', () => {
    const problem = describeParseError(Object.assign(new Error("Unknown option '--\u001b[31mx'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }), 'doctor', {});
    expect(problem).toBe('unknown flag `--[31mx`; `doctor` takes no flags');
  });

  it('returns the values when the arguments are right', () => {
    expect(parseCliArgs('manifest', ['--url', 'https://x.example'], { url: { type: 'string' } })).toEqual({ values: { url: 'https://x.example' }, positionals: [] });
  });
});

describe('shellWord', () => {
  it('leaves a plain bucket name bare and quotes one a shell would split', () => {
    expect(shellWord('sd2')).toBe('sd2');
    expect(shellWord('my.bucket-2')).toBe('my.bucket-2');
    expect(shellWord('sd2 (sd2-bucket)')).toBe("'sd2 (sd2-bucket)'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});

describe('nodeVersionCheck', () => {
  it('says once, in doctor, what the silenced SDK warning says on Node 20, and nothing more on 22', () => {
    expect(nodeVersionCheck('v20.20.2')).toEqual({ name: 'node', status: 'ok', detail: "v20.20.2; the AWS SDK's releases after January 2027 need Node.js 22 or later: upgrade before updating the SDK" });
    expect(nodeVersionCheck('v22.3.0')).toEqual({ name: 'node', status: 'ok', detail: 'v22.3.0' });
  });

  it('leaves an operator\'s own setting of the SDK switch alone', () => {
    const env: Record<string, string | undefined> = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietSdkNodeVersionWarning({ env });
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
    const unset: Record<string, string | undefined> = {};
    quietSdkNodeVersionWarning({ env: unset });
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
});
