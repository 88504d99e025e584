import { runTestUpload } from '../actions/test-upload.js';
import { testUploadMessage } from '../actions/test-upload-message.js';
import { UserFacingError } from '../lib/errors.js';
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
  // Every `/s3 test` is a new upload: an earlier result says nothing about the bucket now.
  reuse: false,
  async run(ctx, args) {
    const bucket = args.bucket!;
    if (!ctx.actions) throw new UserFacingError('internal', 'Test uploads cannot run from here: this process has no S3 client for actions.');
    const { testUpload } = ctx.config;
    const result = await runTestUpload(
      { s3: ctx.actions.s3, logger: ctx.logger, now: ctx.now, ...(ctx.actions.monitor ? { monitor: ctx.actions.monitor } : {}) },
      bucket.name,
      bucket.testPrefix,
      { sizeBytes: testUpload.size, partSizeBytes: testUpload.partSize, deleteAfter: testUpload.deleteAfter, timeoutMs: testUpload.timeoutSeconds * 1000 },
    );
    return { message: testUploadMessage(result, bucketLabel(bucket)), data: result };
  },
};
