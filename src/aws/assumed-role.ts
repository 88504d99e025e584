/**
 * Credentials of a watched account: its role, assumed through STS with the bot's own credentials,
 * shared by every client of that account and assumed again shortly before the session expires.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import { withTimeout } from '../lib/with-timeout.js';
import { COMMAND_DEADLINE_MS } from './deadlines.js';
import { shownErrorName } from './errors.js';
import { RoleNotAssumedError } from './role-error.js';

export { RoleNotAssumedError } from './role-error.js';

/** A role the bot assumes in a watched account. */
export interface AssumedAccount {
  id: string;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
}

/** How long an assumed session lasts: STS's default, one hour, which every role allows. */
export const ROLE_SESSION_SECONDS = 3_600;
/** Credentials are renewed this long before they expire, so no call goes out with a session about to end. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/**
 * The longest a role is waited for: the SDK resolves credentials before a call's request, out of
 * reach of the call's abort signal, so the wait is bounded here, by a command's own deadline.
 */
export const ASSUME_ROLE_DEADLINE_MS = COMMAND_DEADLINE_MS;

/** What the STS client behind a role is built with. */
export interface StsSettings {
  region: string;
  endpoint?: string;
  requestHandler: NodeHttpHandler;
  maxAttempts: number;
  logger: SdkLogger;
  /** The bot's own credentials; absent: the SDK's provider chain. */
  masterCredentials?: AwsCredentialIdentity;
}

/** What a test may set instead of the clock, the deadline and the SDK's provider that calls STS. */
export interface AssumeOptions {
  now?: () => number;
  deadlineMs?: number;
  fromTemporaryCredentials?: typeof fromTemporaryCredentials;
}

/** A credential provider that assumes `role`, shares one session between callers and renews it before it expires. */
export function assumeRoleCredentials(role: AssumedAccount, sts: StsSettings, options: AssumeOptions = {}): AwsCredentialIdentityProvider {
  const { now = Date.now, deadlineMs = ASSUME_ROLE_DEADLINE_MS, fromTemporaryCredentials: temporary = fromTemporaryCredentials } = options;
  const { masterCredentials, ...clientConfig } = sts;
  const assume = temporary({
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: role.sessionName ?? 's3-chatops',
      DurationSeconds: ROLE_SESSION_SECONDS,
      ...(role.externalId ? { ExternalId: role.externalId } : {}),
    },
    clientConfig,
    ...(masterCredentials ? { masterCredentials } : {}),
  });
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current && (!current.expiration || current.expiration.getTime() - now() > REFRESH_BEFORE_EXPIRY_MS)) return current;
    if (pending) return pending;
    const assumed = assume().then((credentials) => {
      // A session that arrives after the deadline is still kept for the next call.
      current = credentials;
      return credentials;
    });
    pending = withTimeout(assumed, deadlineMs, `STS did not answer within ${deadlineMs / 1000} s`)
      .catch((error: unknown) => {
        throw new RoleNotAssumedError(role.id, role.roleArn, errorName(error), { cause: error });
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

function errorName(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; Code?: unknown } | null;
  if (typeof e?.Code === 'string') return shownErrorName(e.Code);
  if (typeof e?.name === 'string' && e.name !== 'Error') return shownErrorName(e.name);
  if (typeof e?.code === 'string') return shownErrorName(e.code);
  if (error instanceof Error && /did not answer/.test(error.message)) return error.message;
  return 'an error without a name (see the log)';
}
