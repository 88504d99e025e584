// What integration tests use to reach the services global-setup.ts started (moto, Redis).
import { describe, inject } from 'vitest';
import { createAwsClients, type AssumedAccount, type AwsClients } from '../../src/aws/clients.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto's server with the launcher's fixes, e.g. `http://127.0.0.1:40123`. */
    motoUrl?: string;
    redisUrl?: string;
    /** Why a service is missing (empty when none is). */
    servicesMissing?: string;
  }
}

export type Service = 'moto' | 'redis';

/** The region and dummy credentials every test client and child process uses against moto. */
export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** moto's URL; throws outside `describeWithServices` when moto is not running. */
export function motoUrl(): string {
  const url = inject('motoUrl');
  if (!url) throw new Error(`moto is not running: ${inject('servicesMissing') || 'global setup did not provide it'}`);
  return url;
}

/** Redis's URL; throws outside `describeWithServices` when Redis is not running. */
export function redisUrl(): string {
  const url = inject('redisUrl');
  if (!url) throw new Error(`Redis is not running: ${inject('servicesMissing') || 'global setup did not provide it'}`);
  return url;
}

/** Why the named services cannot be used, or `null` when they all can. */
export function missingServices(needs: readonly Service[] = ['moto', 'redis']): string | null {
  const absent = needs.filter((s) => !inject(s === 'moto' ? 'motoUrl' : 'redisUrl'));
  if (absent.length === 0) return null;
  return `${absent.join(' and ')} not available (${inject('servicesMissing') || 'not provided'})`;
}

/**
 * `describe` for tests that need moto and/or Redis. Outside CI, when one is missing, the suite
 * is skipped with the reason printed; in CI global setup has already failed the run.
 */
export function describeWithServices(name: string, fn: () => void, needs: readonly Service[] = ['moto', 'redis']): void {
  const missing = missingServices(needs);
  if (missing !== null) console.warn(`[skipped] ${name}: ${missing}`);
  describe.skipIf(missing !== null)(missing === null ? name : `${name} (skipped: ${missing})`, fn);
}

/** Environment variables for a child process (the CLI, the bot) pointed at moto. */
export function awsTestEnv(): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: motoUrl(),
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The product's own clients, pointed at moto with dummy credentials. */
export function createTestAwsClients(options: { logger?: Logger; accounts?: AssumedAccount[] } = {}): AwsClients {
  return createAwsClients({
    region: TEST_REGION,
    endpoint: motoUrl(),
    logger: options.logger ?? silentLogger(),
    credentials: { ...TEST_CREDENTIALS },
    ...(options.accounts ? { accounts: options.accounts } : {}),
  });
}
