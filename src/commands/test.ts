import { bucketS3 } from '../aws/fleet.js';
import { runConfiguredTestUpload } from '../actions/test-upload-settings.js';
import { testUploadMessage } from '../actions/test-upload-message.js';
import { UserFacingError } from '../lib/errors.js';
import type { Message } from '../message/model.js';
import { bucketLabel } from '../reports/types.js';
import type { CommandSpec } from './types.js';

/** `test [bucket]`: a test upload now (write, read back, verify, delete), each step timed. */
export const testCommand: CommandSpec = {
  verb: 'test',
  summary: 'runs a test upload now: writes a tagged object under the test prefix, reads it back, checks it and times each step',
  usage: 'test [bucket]',
  example: 'test surgical-docs',
  bucket: 'required',
  options: {},
  // Each `/s3 test` is a new upload (an earlier result says nothing about the bucket now), but
  // those asked while one is running share it: a burst of thirty runs one upload, not thirty.
  reuse: 'in-flight',
  async run(ctx, args) {
    const bucket = args.bucket!;
    const actions = ctx.actions;
    if (!actions) throw new UserFacingError('internal', 'Test uploads cannot run from here: this process has no S3 client for actions.');
    const upload = async () =>
      runConfiguredTestUpload(
        // Cancelled at the command's deadline, so the guard is free again when the answer is given.
        { s3: await bucketS3(actions, bucket.name, ctx.signal ? { signal: ctx.signal } : {}), logger: ctx.logger, now: ctx.now, ...(actions.monitor ? { monitor: actions.monitor } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) },
        ctx.config,
        bucket,
      );
    // The Run test upload button's guard: one upload per bucket, whichever of the two started it.
    const { promise, joined } = actions.uploadGuard?.run(bucket.name, upload) ?? { promise: upload(), joined: false };
    const result = await promise;
    const label = bucketLabel(bucket);
    const message = testUploadMessage(result, label);
    return { message: joined ? withJoinedNote(message, label) : message, data: result };
  },
};

function withJoinedNote(message: Message, label: string): Message {
  const note = `A test upload to ${label} was already running when you asked; this is its result.`;
  return { ...message, blocks: [...message.blocks, { kind: 'context', text: note }] };
}
