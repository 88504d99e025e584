import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The real command line, `s3-chatops start --role <role>`, as a child process. */
export interface BotProcess {
  child: ChildProcess;
  /** The HTTP port: the bot's (roles bot and all), or the worker's `/metrics` and `/healthz` (role worker). */
  port: number;
  /** JSON log lines printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or 128 + signal number when killed). */
  exited: Promise<number>;
}

/** The lines each role logs once it is up. */
const STARTED: Record<Role, string[]> = { bot: ['bot started'], worker: ['worker started'], all: ['bot started', 'worker started'] };

export type Role = 'bot' | 'worker' | 'all';

/** Starts `role` with `env` and a config naming `buckets`; resolves once it logged that it started, and its port. */
export async function startBotProcess(env: Record<string, string>, buckets: Array<{ name: string; alias: string }>, role: Role = 'bot'): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), 's3-chatops-ops-'));
  const configFile = join(dir, 's3-chatops.yml');
  writeFileSync(configFile, `buckets:\n${buckets.map((b) => `  - name: ${b.name}\n    alias: ${b.alias}\n`).join('')}`);
  return startRoleProcess(role, { CONFIG_FILE: configFile, ...env });
}

/** Starts `role` with `env`, which names its own CONFIG_FILE; resolves once it logged that it started, and its port. */
export async function startRoleProcess(role: Role, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['bin/s3-chatops.js', 'start', '--role', role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', PORT: '0', LOG_LEVEL: 'info', ...env },
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
    const started = STARTED[role].map((msg) => logs.find((l) => l.msg === msg));
    if (started.every(Boolean)) return { child, port: Number(started[0]!.port ?? started[0]!.metricsPort), logs, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the ${role} role did not start: ${stderr}\n${JSON.stringify(logs)}`);
}

/** Sends `signal` to the process (if it still runs) and waits until it has exited. */
export async function stopRoleProcess(running: BotProcess, signal: NodeJS.Signals): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  await running.exited;
}
