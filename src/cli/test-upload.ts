/** `s3-chatops test-upload <bucket> [--json]`: one test upload now; exit 1 when a step failed. */
import { runTestUpload } from '../actions/test-upload.js';
import { testUploadMessage } from '../actions/test-upload-message.js';
import { createAwsClients } from '../aws/clients.js';
import { bucketLabel } from '../reports/types.js';
import { badUsage } from './usage.js';
import { parseBucketArgs, type ActionCliIo } from './action-io.js';

export const TEST_UPLOAD_USAGE = ['test-upload <bucket> [--json]'];

/** Runs the command; returns the exit status. */
export async function runTestUploadCli(rest: readonly string[], io: ActionCliIo): Promise<number> {
  const config = await io.loadConfig();
  const args = parseBucketArgs(rest, config, { json: { type: 'boolean' } });
  if ('problem' in args) {
    io.stderr.write(badUsage(args.problem, TEST_UPLOAD_USAGE));
    return 2;
  }
  const clients = createAwsClients({ region: config.region, logger: io.logger, ...(config.env.AWS_ENDPOINT_URL ? { endpoint: config.env.AWS_ENDPOINT_URL } : {}) });
  try {
    const { testUpload } = config;
    const result = await runTestUpload({ s3: clients.s3, logger: io.logger, now: io.now }, args.bucket.name, args.bucket.testPrefix, {
      sizeBytes: testUpload.size,
      partSizeBytes: testUpload.partSize,
      deleteAfter: testUpload.deleteAfter,
      timeoutMs: testUpload.timeoutSeconds * 1000,
    });
    io.stdout.write(args.flags.json ? `${JSON.stringify(result, null, 2)}\n` : io.render(testUploadMessage(result, bucketLabel(args.bucket))));
    return result.ok ? 0 : 1;
  } finally {
    clients.s3.destroy();
    clients.cloudWatch.destroy();
    clients.costExplorer.destroy();
  }
}
