// Starts the services integration tests need (moto, Redis) once per run, and brings the build
// that the command-line child processes run up to date; see test/helpers/services.ts.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { redisAnswers } from '../../src/lib/redis.js';
import { stopChild } from './child-process.js';
import { freePort } from '../../src/lib/free-port.js';

const LAUNCHER = fileURLToPath(new URL('../../scripts/moto_launcher.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const STARTUP_TIMEOUT_MS = 30_000;

/** vitest global setup: provides `motoUrl` and `redisUrl`, or says why it cannot. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const inCi = process.env.CI === 'true';
  const started: ChildProcess[] = [];
  const missing: string[] = [];

  // The build compiles while moto starts.
  const built = ensureBuilt();
  const moto = await startMoto(started).catch((error: Error) => {
    missing.push(`moto: ${error.message}`);
    return undefined;
  });
  const redis = await findOrStartRedis(started).catch((error: Error) => {
    missing.push(`Redis: ${error.message}`);
    return undefined;
  });

  const teardown = async () => {
    await Promise.all(started.map(stopChild));
  };
  try {
    await built;
  } catch (error) {
    await teardown();
    throw error;
  }
  if (missing.length > 0 && inCi) {
    await teardown();
    throw new Error(`Integration services are missing (CI=true, so the run fails):\n  ${missing.join('\n  ')}`);
  }
  if (moto) project.provide('motoUrl', moto);
  if (redis) project.provide('redisUrl', redis);
  project.provide('servicesMissing', missing.join('; '));
  return teardown;
}

/**
 * Builds `dist/` (what `bin/s3-chatops.js` runs) when it is missing or older than a source file
 * or the build's settings, so the command-line and process tests run the code under test.
 */
async function ensureBuilt(): Promise<void> {
  const stamp = join(ROOT, 'dist', 'cli.js');
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : -Infinity;
  const inputs = [join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json'), join(ROOT, 'package.json')];
  if (Math.max(newestIn(join(ROOT, 'src')), ...inputs.map((file) => statSync(file).mtimeMs)) <= builtAt) return;
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  } catch (error) {
    const { stdout = '', message } = error as { stdout?: string; message: string };
    throw new Error(`the build (npm run build) failed, so the command-line tests cannot run it:\n${stdout || message}`);
  }
}

/** The newest modification time of any file under `dir`. */
function newestIn(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

async function startMoto(started: ChildProcess[]): Promise<string> {
  const python = process.env.MOTO_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`\`${python} -c "import moto.server"\` failed; install it with \`pip install "moto[server]"\``);
  }
  const port = await freePort();
  const child = spawn(python, [LAUNCHER, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep only the tail: moto logs every request there.
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  await untilReady(async () => {
    if (child.exitCode !== null) throw new Error(`the moto launcher exited (${child.exitCode}): ${stderr.trim()}`);
    const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
    return response.ok;
  }, `moto did not answer on ${url}`);
  return url;
}

async function findOrStartRedis(started: ChildProcess[]): Promise<string> {
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (await redisAnswers(url)) return url;
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    throw new Error(`nothing answers at ${url} and redis-server is not on PATH (apt-get install redis-server)`);
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  started.push(child);
  const privateUrl = `redis://127.0.0.1:${port}`;
  await untilReady(() => redisAnswers(privateUrl), `the private redis-server did not answer on ${privateUrl}`);
  return privateUrl;
}


// Not the tests' waitFor: vitest's expect.poll does not run in a global setup.
async function untilReady(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.startsWith('the moto launcher exited')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${failure} within ${STARTUP_TIMEOUT_MS / 1000} s${lastError instanceof Error ? ` (${lastError.message})` : ''}`);
}


