/** The cleanup preview of one bucket: list the test prefix, plan with a cutoff fixed now, show it with sealed buttons. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Message } from '../message/model.js';
import { bucketLabel } from '../reports/types.js';
import { cleanupPreviewMessage } from './cleanup-messages.js';
import { cleanupCutoff, type CleanupPlan } from './cleanup-plan.js';
import { planRequestedCleanup } from './cleanup-selection.js';
import { cleanupTicketKey, sealCleanupTicket, type CleanupTicket } from './cleanup-ticket.js';

export interface CleanupPreview {
  message: Message;
  plan: CleanupPlan;
  cutoff: Date;
  /** The plan the preview's buttons carry. */
  ticket: CleanupTicket;
}

export interface PreviewSettings {
  olderThanDays: number;
  includeUnmarked: boolean;
  now: Date;
  /** Seals the buttons' plan (`cleanupTicketKey`). */
  ticketKey: Buffer;
  /** Who asked, when one person did: they may Cancel. */
  requester?: string;
  /** The deadline of the command that asked: past it the listing is cancelled and the preview fails, naming S3. */
  signal?: AbortSignal;
}

/** Lists and plans a cleanup of `bucket`'s old test files; deletes nothing. */
export async function previewCleanup(s3: S3Client, bucket: BucketConfig, settings: PreviewSettings): Promise<CleanupPreview> {
  const cutoff = cleanupCutoff(settings.now, settings.olderThanDays);
  const prefix = bucket.testPrefix;
  const plan = await planRequestedCleanup(s3, bucket.name, { prefix, cutoff, includeUnmarked: settings.includeUnmarked }, 'form', settings.signal);
  const ticket: CleanupTicket = {
    bucket: bucket.name,
    prefix,
    cutoff: cutoff.toISOString(),
    includeUnmarked: settings.includeUnmarked,
    keys: plan.keys,
    ...(settings.requester ? { requester: settings.requester } : {}),
  };
  const message = cleanupPreviewMessage({
    bucket: bucket.name,
    label: bucketLabel(bucket),
    prefix,
    olderThanDays: settings.olderThanDays,
    cutoff,
    plan,
    includeUnmarked: settings.includeUnmarked,
    buttonValue: sealCleanupTicket(ticket, settings.ticketKey),
  });
  return { message, plan, cutoff, ticket };
}

/** Who asked and by when, for a preview with the configured settings. */
export interface PreviewRequest {
  now: Date;
  /** Who asked, when the preview is theirs alone (a button press): they may Cancel it. */
  requester?: string;
  signal?: AbortSignal;
}

/** The preview `/s3 cleanup`, its button and `s3-chatops cleanup` show: the configured age and scope, sealed with the Slack secret's key. */
export function previewConfiguredCleanup(s3: S3Client, config: Pick<Config, 'cleanup' | 'slack'>, bucket: BucketConfig, request: PreviewRequest): Promise<CleanupPreview> {
  const { olderThanDays, includeUnmarked } = config.cleanup;
  return previewCleanup(s3, bucket, {
    olderThanDays,
    includeUnmarked,
    now: request.now,
    ticketKey: cleanupTicketKey(config.slack),
    ...(request.requester ? { requester: request.requester } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
}
