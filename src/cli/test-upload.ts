/** `s3-chatops test-upload <bucket> [--json]`: one test upload now; exit 1 when a step failed. */
import type { TestUploadResult } from '../actions/test-upload.js';
import { runConfiguredTestUpload } from '../actions/test-upload-settings.js';
import { testUploadMessage } from '../actions/test-upload-message.js';
import { createFleet } from '../aws/fleet.js';
import { bucketLabel } from '../reports/types.js';
import { badUsage, TEST_UPLOAD_USAGE } from './usage.js';
import { reportS3Progress } from './progress.js';
import { parseBucketArgs, type ActionCliIo } from './action-io.js';

/** Runs the command; returns the exit status. */
export async function runTestUploadCli(rest: readonly string[], io: ActionCliIo): Promise<number> {
  const config = await io.loadConfig();
  const args = parseBucketArgs('test-upload', rest, config, { json: { type: 'boolean' } });
  if ('problem' in args) {
    io.stderr.write(badUsage(args.problem, TEST_UPLOAD_USAGE));
    return 2;
  }
  const fleet = createFleet(config, { logger: io.logger });
  try {
    const s3 = await fleet.s3For(args.bucket.name);
    // Progress is for a person watching; a pipe or a log gets the answer alone.
    if (io.stderr.isTTY) reportS3Progress(s3, (line) => io.stderr.write(line));
    const result = await runConfiguredTestUpload({ s3, logger: io.logger, now: io.now }, config, args.bucket);
    io.stdout.write(args.flags.json ? `${JSON.stringify(roundedTimes(result), null, 2)}\n` : io.render(testUploadMessage(result, bucketLabel(args.bucket))));
    return result.ok ? 0 : 1;
  } finally {
    fleet.release();
  }
}

/** The result with its step times in whole milliseconds: the clock's fractions are noise, not precision. */
export function roundedTimes(result: TestUploadResult): TestUploadResult {
  return { ...result, totalMs: Math.round(result.totalMs), steps: result.steps.map((step) => ({ ...step, ms: Math.round(step.ms) })) };
}
