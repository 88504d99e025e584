import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../test/helpers/child-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A server running in its own child process. */
export interface ChildServer {
  name: string;
  pid: number;
  port: number;
  /** When the process was spawned (ms since the epoch): `--trace-gc` times count from about then. */
  spawnedAt: number;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux `/proc`). */
  cpuMs(): number | null;
  /** Resident memory now, in MiB (Linux `/proc`). */
  rssMiB(): number | null;
  stop(): Promise<void>;
}

export interface SpawnServerOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Where stdout and stderr go (the child's log). */
  logFile: string;
  /** Reads the port from one stdout line, or returns undefined for lines that do not say it. */
  portFromLine: (line: string) => number | undefined;
  timeoutMs?: number;
}

/** Starts `node <args>` in the repository with only `env` (plus PATH/HOME) and waits for its port. */
export async function spawnServer(options: SpawnServerOptions): Promise<ChildServer> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, options.args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(log, { end: false });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${options.name} did not say its port within ${(options.timeoutMs ?? 30_000) / 1000} s; see ${options.logFile}`)), options.timeoutMs ?? 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${options.name} exited (${code}) before listening; see ${options.logFile}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const found = options.portFromLine(line);
        if (found !== undefined) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve(found);
          return;
        }
      }
    });
  });
  // Keep draining stdout into the log so the child never blocks on a full pipe.
  child.stdout!.removeAllListeners('data');
  child.stdout!.pipe(log, { end: false });

  return {
    name: options.name,
    pid: child.pid!,
    port,
    spawnedAt,
    cpuMs: () => procCpuMs(child.pid!),
    rssMiB: () => procRssMiB(child.pid!),
    stop: () => stopChild(child).finally(() => log.end()),
  };
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(out.stdout.trim()) || 100;
  }
  return clockTicks;
}

function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at `) `; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

function procRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kib ? Math.round(Number(kib) / 1024) : null;
  } catch {
    return null;
  }
}


/**
 * Compiles `src/` into `dist/` (`npm run build`), so a server can be started from the build as
 * production starts it (`node bin/s3-chatops.js`), not through a TypeScript loader.
 */
export function buildProduct(): void {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`npm run build failed:\n${tsc.stdout}${tsc.stderr}`);
}
