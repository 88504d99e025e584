/** What the test upload and cleanup need from the entry point that runs them, injected. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ForBucket } from '../aws/fleet.js';
import type { S3Monitor } from '../metrics/s3-monitor.js';
import type { CleanupStarter } from './cleanup-start.js';
import type { TestUploadGuard } from './test-upload-guard.js';

export interface ActionDeps {
  /** The bot's S3 client (with its retries, timeouts and metrics middleware). */
  s3: S3Client;
  /** The S3 client of each bucket's own account and region; absent: `s3` for every bucket. */
  s3For?: S3ForBucket;
  /** Records test uploads in the Prometheus metrics of the process's registry. */
  monitor?: S3Monitor;
  /** Queues a confirmed cleanup (Slack); absent where no queue is at hand (the command line deletes in-process). */
  cleanup?: CleanupStarter;
  /** One test upload per bucket at a time, shared by the Run test upload button and `/s3 test`; absent: each runs its own. */
  uploadGuard?: TestUploadGuard;
}
