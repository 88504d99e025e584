import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { AWS_SERVICE_NAMES, type AwsServiceLabel } from '../aws/service-health.js';
import type { SlackAuthCheck } from './auth-check.js';
import { withTimeout } from '../lib/with-timeout.js';

/** The one thing readiness needs from Redis. */
export interface RedisPing {
  ping(): Promise<string>;
}

/** The one thing readiness needs to know of AWS: which services are timing out now. */
export interface AwsTimingOut {
  timingOut(): AwsServiceLabel[];
}

export interface ReadinessDeps {
  redis?: RedisPing;
  auth: SlackAuthCheck;
  /** Where given, AWS services timing out make the bot `degraded` (still ready). */
  aws?: AwsTimingOut;
  /** How long a check may take before it counts as failed. */
  timeoutMs?: number;
}

export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  /** `degraded`: ready, but an AWS service is timing out, so answers come partial or late. */
  status: 'ready' | 'degraded' | 'unavailable';
  checks: { redis: CheckResult; slack: CheckResult; aws?: CheckResult & { timingOut: AwsServiceLabel[] } };
}

/**
 * Whether the bot can do its work: Redis answers PING and Slack `auth.test` has passed. An AWS
 * service timing out makes it `degraded` but keeps it ready: every replica shares that endpoint,
 * so taking one out of rotation would only stop its acknowledgements and partial answers.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const timeoutMs = deps.timeoutMs ?? 1_000;
  const [redis, slack] = await Promise.all([checkRedis(deps.redis, timeoutMs), checkSlack(deps.auth, timeoutMs)]);
  const ready = redis.ok && slack.ok;
  const aws = deps.aws ? checkAws(deps.aws) : undefined;
  const status = !ready ? 'unavailable' : aws && !aws.ok ? 'degraded' : 'ready';
  return { ready, status, checks: { redis, slack, ...(aws ? { aws } : {}) } };
}

function checkAws(aws: AwsTimingOut): CheckResult & { timingOut: AwsServiceLabel[] } {
  const timingOut = aws.timingOut();
  if (timingOut.length === 0) return { ok: true, timingOut };
  return { ok: false, timingOut, error: `${timingOut.map((s) => AWS_SERVICE_NAMES[s]).join(', ')} timing out` };
}

async function checkRedis(redis: RedisPing | undefined, timeoutMs: number): Promise<CheckResult> {
  if (!redis) return { ok: false, error: 'no Redis connection configured' };
  try {
    const answer = await withTimeout(redis.ping(), timeoutMs, `Redis did not answer PING within ${timeoutMs} ms`);
    return answer === 'PONG' ? { ok: true } : { ok: false, error: `Redis answered PING with ${answer}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function checkSlack(auth: SlackAuthCheck, timeoutMs: number): Promise<CheckResult> {
  if (auth.passed) return { ok: true };
  try {
    const identity = await withTimeout(auth.verify(), timeoutMs, `Slack auth.test did not answer within ${timeoutMs} ms`);
    return identity ? { ok: true } : { ok: false, error: `Slack auth.test has not passed: ${auth.error ?? 'not yet run'}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `GET /healthz` (the process runs) and `GET /readyz` (it can work), for any Bolt receiver. */
export function healthRoutes(deps: ReadinessDeps): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        void checkReadiness(deps).then(
          (readiness) => sendJson(res, readiness.ready ? 200 : 503, readiness),
          (error: unknown) => sendJson(res, 503, { status: 'unavailable', error: String(error) }),
        );
      },
    },
  ];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
