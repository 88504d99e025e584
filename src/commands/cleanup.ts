import { bucketS3 } from '../aws/fleet.js';
import { previewConfiguredCleanup } from '../actions/cleanup-preview.js';
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
    // A requester only where the entry point says the answer is theirs alone (the preview button): an
    // in-flight `/s3 cleanup` may answer several people at once, so then only allowed users may Cancel it.
    const preview = await previewConfiguredCleanup(await bucketS3(ctx.actions, args.bucket!.name, ctx.signal ? { signal: ctx.signal } : {}), ctx.config, args.bucket!, {
      now: ctx.now(),
      ...(args.requester ? { requester: args.requester } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { message: preview.message, data: { cutoff: preview.cutoff.toISOString(), ...preview.plan, targets: preview.plan.targets.length } };
  },
};
