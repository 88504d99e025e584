import { bucketS3 } from '../aws/fleet.js';
import { previewCleanup } from '../actions/cleanup-preview.js';
import { cleanupTicketKey } from '../actions/cleanup-ticket.js';
import { UserFacingError } from '../lib/errors.js';
import type { CommandSpec } from './types.js';

/** `cleanup [bucket]`: previews the deletion of old test files, with Delete behind a confirmation. Deletes nothing itself. */
export const cleanupCommand: CommandSpec = {
  verb: 'cleanup',
  summary: 'previews deleting test files older than the configured age (count, size, oldest, newest), then asks to confirm',
  usage: 'cleanup [bucket]',
  example: 'cleanup surgical-docs',
  bucket: 'required',
  options: {},
  // Two people asking at once may share one listing, but a finished preview is never shown again as current.
  reuse: 'in-flight',
  async run(ctx, args) {
    if (!ctx.actions) throw new UserFacingError('internal', 'Cleanup cannot run from here: this process has no S3 client for actions.');
    // No requester in the sealed plan: an in-flight preview may answer several people at once, so only allowed users may Cancel it.
    const { olderThanDays, includeUnmarked } = ctx.config.cleanup;
    const preview = await previewCleanup(await bucketS3(ctx.actions, args.bucket!.name, ctx.signal ? { signal: ctx.signal } : {}), args.bucket!, { olderThanDays, includeUnmarked, now: ctx.now(), ticketKey: cleanupTicketKey(ctx.config.slack), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return { message: preview.message, data: { cutoff: preview.cutoff.toISOString(), ...preview.plan, targets: preview.plan.targets.length } };
  },
};
