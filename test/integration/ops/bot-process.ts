import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The real command line, `s3-chatops start --role bot`, as a child process. */
export interface BotProcess {
  child: ChildProcess;
  port: number;
  /** JSON log lines printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or 128 + signal number when killed). */
  exited: Promise<number>;
}

/** Starts the bot with `env` and a config naming `buckets`; resolves once it logged its port. */
export async function startBotProcess(env: Record<string, string>, buckets: Array<{ name: string; alias: string }>): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), 's3-chatops-ops-'));
  const configFile = join(dir, 's3-chatops.yml');
  writeFileSync(configFile, `buckets:\n${buckets.map((b) => `  - name: ${b.name}\n    alias: ${b.alias}\n`).join('')}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--role', 'bot'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', PORT: '0', LOG_LEVEL: 'info', CONFIG_FILE: configFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = logs.find((l) => l.msg === 'bot started');
    if (started) return { child, port: Number(started.port), logs, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not start: ${stderr}\n${JSON.stringify(logs)}`);
}
