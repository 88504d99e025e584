import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command line as a child process, the way a person would: the built bin when
 * `S3_CHATOPS_TEST_BIN=dist` and dist is built, else the TypeScript entry point through tsx.
 */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const useDist = process.env.S3_CHATOPS_TEST_BIN === 'dist' && existsSync(`${ROOT}dist/cli.js`);
  const argv = useDist ? ['bin/s3-chatops.js', ...args] : ['--import', 'tsx', 'src/cli.ts', ...args];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      // Only what the test names: no stray AWS profile or Slack token from the machine running it.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', NO_COLOR: '1', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
