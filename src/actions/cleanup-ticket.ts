/**
 * The cleanup preview's plan, carried in its Delete and Cancel buttons and sealed with an HMAC
 * under a key derived from the Slack signing secret. A press is honoured only for a ticket this
 * bot sealed, so a payload naming another bucket, prefix, cutoff or count is refused, not obeyed.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SlackSettings } from '../config/load.js';

/** The plan a person saw in a preview: what Delete may act on, and who asked. */
export interface CleanupTicket {
  bucket: string;
  prefix: string;
  /** ISO time; keys with a version or marker at or after it are kept. */
  cutoff: string;
  includeUnmarked: boolean;
  /** Keys the preview counted: the deletion refuses a plan that has grown past it. */
  keys: number;
  /** Who asked for the preview, when one person did (a button press); they may Cancel it. */
  requester?: string;
}

/** The key that seals tickets, derived from the Slack secret so no new setting is needed. */
export function cleanupTicketKey(slack: SlackSettings): Buffer {
  const secret = slack.signingSecret ?? slack.appToken;
  // No Slack secret (the command line): buttons never reach this process, so any key will do.
  const ikm = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  return Buffer.from(hkdfSync('sha256', ikm, 's3-chatops', 'cleanup button ticket v1', 32));
}

/** The button value of `ticket`: its JSON and its HMAC, both base64url, joined by a dot. */
export function sealCleanupTicket(ticket: CleanupTicket, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(ticket), 'utf8').toString('base64url');
  return `${body}.${mac(body, key)}`;
}

/** The ticket a button value carries, or `null` when it is not one this key sealed. */
export function openCleanupTicket(value: string | undefined, key: Buffer): CleanupTicket | null {
  if (value === undefined) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(body, key), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<CleanupTicket>;
    if (typeof t.bucket !== 'string' || typeof t.prefix !== 'string' || typeof t.cutoff !== 'string' || Number.isNaN(Date.parse(t.cutoff))) return null;
    if (typeof t.includeUnmarked !== 'boolean' || typeof t.keys !== 'number' || (t.requester !== undefined && typeof t.requester !== 'string')) return null;
    return { bucket: t.bucket, prefix: t.prefix, cutoff: t.cutoff, includeUnmarked: t.includeUnmarked, keys: t.keys, ...(t.requester ? { requester: t.requester } : {}) };
  } catch {
    return null;
  }
}

function mac(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
