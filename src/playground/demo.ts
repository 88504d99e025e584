/**
 * `start --demo`: a local AWS emulator (moto's server, through the project's launcher with its
 * fixes), seeded with the demo bucket, and a private redis-server, both children of this process
 * and stopped with it. Nothing of the person's own AWS account or Redis is touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAwsClients } from '../aws/clients.js';
import type { Logger } from '../lib/logger.js';
import { redisAnswers } from '../lib/redis.js';
import { seedDemo } from './demo-seed.js';
import { freePort } from '../lib/free-port.js';

const LAUNCHER = fileURLToPath(new URL('../../scripts/moto_launcher.py', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
/** The demo's region and dummy credentials: the emulator accepts any. */
export const DEMO_AWS_ENV = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'demo', AWS_SECRET_ACCESS_KEY: 'demo', AWS_EC2_METADATA_DISABLED: 'true' } as const;

/** A setup problem of the demo, said as what to install. */
export class DemoError extends Error {
  override name = 'DemoError';
}

/** The running emulator and Redis of the demo. */
export interface DemoServices {
  awsEndpoint: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  logger: Logger;
  /** The Python that has moto (`MOTO_PYTHON`, python3 by default). */
  python?: string;
}

/** Starts and seeds the emulator and starts a private Redis; on failure, stops whatever it started. */
export async function startDemoServices(options: DemoOptions): Promise<DemoServices> {
  const python = options.python ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server, flask'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new DemoError(`--demo runs a local AWS emulator, moto's server, and \`${python} -c "import moto.server"\` failed. Install it with \`pip install 'moto[server]'\` (or set MOTO_PYTHON to a Python that has it), or leave out --demo to use your own AWS account.`);
  }
  const redisProbe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (redisProbe.error || redisProbe.status !== 0) {
    throw new DemoError('--demo runs a private Redis for the worker (alerts, cleanups), and redis-server is not on PATH. Install it: `sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS).');
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
  };
  try {
    const motoPort = await freePort();
    const moto = spawn(python, [LAUNCHER, String(motoPort)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...DEMO_AWS_ENV } });
    children.push(moto);
    let motoErr = '';
    // Only the tail is kept: moto logs every request there.
    moto.stderr?.on('data', (chunk: Buffer) => (motoErr = (motoErr + chunk.toString()).slice(-2_000)));
    const awsEndpoint = `http://127.0.0.1:${motoPort}`;
    await waitFor(async () => {
      if (moto.exitCode !== null) throw new DemoError(`the AWS emulator exited (status ${moto.exitCode}): ${motoErr.trim().split('\n').pop() ?? ''}`);
      return (await fetch(`${awsEndpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) })).ok;
    }, `the AWS emulator did not answer on ${awsEndpoint}`);

    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    children.push(redis);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitFor(() => redisAnswers(redisUrl), `the private redis-server did not answer on ${redisUrl}`);

    const clients = createAwsClients({ region: DEMO_AWS_ENV.AWS_REGION, endpoint: awsEndpoint, logger: options.logger, credentials: { accessKeyId: DEMO_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DEMO_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
    try {
      await seedDemo({ s3: clients.s3, cloudWatch: clients.cloudWatch, endpoint: awsEndpoint });
    } finally {
      clients.release();
    }
    options.logger.info({ awsEndpoint, redisUrl }, 'demo: AWS emulator seeded and private Redis started');
    return { awsEndpoint, redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}


async function waitFor(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error instanceof DemoError) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new DemoError(`${failure} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

