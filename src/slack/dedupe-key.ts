import { createHash } from 'node:crypto';

/**
 * What identifies one delivery of a request as Slack sends it, hashed; undefined for a request we
 * do not deduplicate. A retry (`X-Slack-Retry-Num`) and a replay carry the same body, so the same
 * key; two real invocations never do (each has its own trigger_id, response_url and action_ts).
 */
export function deliveryKey(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const parts = slashCommandParts(b) ?? blockActionParts(b) ?? eventParts(b);
  return parts ? createHash('sha256').update(JSON.stringify(parts)).digest('base64url') : undefined;
}

function slashCommandParts(b: Record<string, unknown>): unknown[] | undefined {
  if (typeof b.command !== 'string' || typeof b.trigger_id !== 'string') return undefined;
  return ['command', b.command, b.trigger_id, b.response_url ?? null, b.user_id ?? null];
}

function blockActionParts(b: Record<string, unknown>): unknown[] | undefined {
  if (b.type !== 'block_actions' || !Array.isArray(b.actions)) return undefined;
  const action = (b.actions[0] ?? {}) as { action_id?: unknown; action_ts?: unknown };
  const container = (b.container ?? {}) as { message_ts?: unknown; view_id?: unknown };
  const user = (b.user ?? {}) as { id?: unknown };
  return ['action', b.trigger_id ?? null, action.action_id ?? null, action.action_ts ?? null, container.message_ts ?? container.view_id ?? null, user.id ?? null, b.response_url ?? null];
}

function eventParts(b: Record<string, unknown>): unknown[] | undefined {
  if (b.type !== 'event_callback' || typeof b.event_id !== 'string') return undefined;
  return ['event', b.event_id];
}
