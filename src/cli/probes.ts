import type { Redis } from 'ioredis';

/** How long the command line waits for Redis or Slack before it says they did not answer. */
export const PROBE_TIMEOUT_MS = 1_500;

/** Who the bot token belongs to, from Slack's `auth.test`. */
export interface SlackIdentity {
  team?: string;
  user?: string;
}

/** Calls Slack's `auth.test` once, without retries, through `@slack/web-api`. */
export async function slackAuthTest(token: string, apiUrl?: string): Promise<SlackIdentity> {
  // Loaded on demand so read commands never pay for the Slack client.
  const { createSlackWebClient } = await import('../notify/slack-client.js');
  const client = createSlackWebClient(token, { purpose: 'probe', ...(apiUrl ? { apiUrl } : {}), timeoutMs: PROBE_TIMEOUT_MS });
  const answer = await client.auth.test();
  return { team: answer.team, user: answer.user };
}

/**
 * Connects to Redis with a short timeout and no retries; rejects when it does not answer a PING.
 * The caller owns the connection it gets back and must `disconnect()` it.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    // An open connection that never answers fails the probe instead of holding the command line.
    commandTimeout: PROBE_TIMEOUT_MS,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // An unhandled 'error' event would crash the process; the rejection below carries it instead.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

/** PINGs Redis once; rejects when it does not answer. */
export async function redisPing(url: string): Promise<void> {
  const redis = await connectRedis(url);
  redis.disconnect();
}
