import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only what the test names: no stray AWS profile or Slack token from the machine running it. */
function runEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: '/nonexistent', NO_COLOR: '1', ...env };
}

/**
 * Runs the command line as a child process, the way a person would: `bin/s3-chatops.js` over the
 * build (which the global setup brings up to date). For what only a process shows: that the bin
 * works at all, and that the command ends with nothing left holding the process open.
 */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(`${ROOT}dist/cli.js`)) throw new Error('dist/cli.js is missing: the global setup builds it (npm run build)');
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/s3-chatops.js', ...args], { cwd: ROOT, env: runEnv(env), timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// The AWS SDK reads credentials from process.env, not from the environment runCli is given; runs
// take turns so each sees its own.
let turn: Promise<unknown> = Promise.resolve();

/**
 * Runs the command line in this process through `runCli`, with the environment a child would get
 * (its AWS_* variables applied to process.env for the run) and stdout/stderr captured: the same
 * output and exit status as `runCliProcess`, without starting Node.
 */
export function runCliInProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const run = turn.then(async () => {
    const full = runEnv(env);
    const saved = Object.entries(process.env).filter(([key]) => key.startsWith('AWS_'));
    for (const [key] of saved) delete process.env[key];
    for (const [key, value] of Object.entries(full)) if (key.startsWith('AWS_')) process.env[key] = value;
    const stdout = { text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
    const stderr = { text: '', write: (chunk: string) => ((stderr.text += chunk), true) };
    try {
      const code = await runCli(args, { stdout, stderr, env: full });
      return { code, stdout: stdout.text, stderr: stderr.text };
    } finally {
      for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
      for (const [key, value] of saved) process.env[key] = value;
    }
  });
  turn = run.catch(() => undefined);
  return run;
}
