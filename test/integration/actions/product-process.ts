// The real command line, `s3-chatops start --role all` (bot and worker in one process), as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ProductProcess {
  child: ChildProcess;
  /** The bot's HTTP port (`POST /slack/events`). */
  port: number;
  /** JSON log lines printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

/** Starts bot and worker with `env` (CONFIG_FILE included); resolves once both logged that they started. */
export async function startProductProcess(env: Record<string, string>): Promise<ProductProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--role', 'all'], {
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const bot = logs.find((l) => l.msg === 'bot started');
    if (bot && logs.some((l) => l.msg === 'worker started')) return { child, port: Number(bot.port), logs, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`s3-chatops start --role all did not start: ${stderr}\n${JSON.stringify(logs.slice(-20))}`);
}

/** Kills the process with `signal` (its own pid) and waits until it has exited. */
export async function stopProductProcess(product: ProductProcess, signal: NodeJS.Signals): Promise<void> {
  if (product.child.exitCode !== null || product.child.signalCode !== null) return;
  product.child.kill(signal);
  await product.exited;
}
