import { bucketS3 } from '../aws/fleet.js';
import { runConfiguredTestUpload } from '../actions/test-upload-settings.js';
import { testUploadMessage } from '../actions/test-upload-message.js';
import { UserFacingError } from '../lib/errors.js';
import type { Report } from '../message/model.js';
import { bucketLabel } from '../reports/types.js';
import type { CommandArgs, CommandSpec } from './types.js';

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
    // One upload per bucket in this process, whichever surface asked (Slack, Teams, typed or pressed).
    const { promise, joined } = actions.uploadGuard?.run(bucket.name, upload) ?? { promise: upload(), joined: false };
    const result = await promise;
    const report = { message: testUploadMessage(result, bucketLabel(bucket)), data: result };
    return joined ? withJoinedNote(report, args) : report;
  },
  // Asked (typed or pressed) while the same upload was being asked for: its result, saying so.
  joined: withJoinedNote,
};

function withJoinedNote(report: Report, args: CommandArgs): Report {
  const note = `A test upload to ${bucketLabel(args.bucket!)} was already running when you asked; this is its result.`;
  const { message } = report;
  // An upload joined through the guard already says so; a second join says it once.
  if (message.blocks.some((b) => b.kind === 'context' && b.text === note)) return report;
  return { ...report, message: { ...message, blocks: [...message.blocks, { kind: 'context', text: note }] } };
}
