/** What a Delete press may start: the sealed plan, checked against today's configuration and never widened. */
import type { Config } from '../config/load.js';
import { findBucket } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import { cleanupCutoff } from './cleanup-plan.js';
import { openCleanupTicket, type CleanupTicket } from './cleanup-ticket.js';

/** A press that may go on (the caller still checks who pressed), or why it may not. */
export type ConfirmCheck =
  | { ok: true; ticket: CleanupTicket; bucket: BucketConfig; cutoff: Date; includeUnmarked: boolean }
  | { ok: false; reason: 'not-sealed'; ticket?: undefined }
  | { ok: false; reason: 'config-changed'; ticket: CleanupTicket };

/**
 * Opens the button's sealed plan and narrows it to today's settings: the prefix is the configured
 * one, the cutoff no later than the configured age allows now, unmarked keys only if both allow.
 */
export function checkCleanupConfirm(value: string | undefined, ticketKey: Buffer, config: Pick<Config, 'buckets' | 'cleanup'>, now: Date): ConfirmCheck {
  const ticket = openCleanupTicket(value, ticketKey);
  if (!ticket) return { ok: false, reason: 'not-sealed' };
  const bucket = findBucket(config, ticket.bucket);
  if (!bucket || bucket.name !== ticket.bucket || bucket.testPrefix !== ticket.prefix) return { ok: false, reason: 'config-changed', ticket };
  const latest = cleanupCutoff(now, config.cleanup.olderThanDays);
  const cutoff = new Date(Math.min(Date.parse(ticket.cutoff), latest.getTime()));
  // Narrower of the preview's and today's setting: switching includeUnmarked off stops a pending preview's wider plan.
  const includeUnmarked = ticket.includeUnmarked && config.cleanup.includeUnmarked;
  return { ok: true, ticket, bucket, cutoff, includeUnmarked };
}
