import { SingleFlight } from '../lib/singleflight.js';
import type { TestUploadResult } from './test-upload.js';

/**
 * One test upload per bucket at a time in this process, whoever asks (the Run test upload button or
 * `/s3 test`): a burst of requests runs one upload, and everyone who asked meanwhile gets its result.
 */
export class TestUploadGuard {
  private readonly flight = new SingleFlight<TestUploadResult>();

  /** Runs `upload` for `bucket`, or joins the one running; `joined` says which. */
  run(bucket: string, upload: () => Promise<TestUploadResult>): { promise: Promise<TestUploadResult>; joined: boolean } {
    return this.flight.run(bucket, upload);
  }

  /** Whether an upload to `bucket` is running now. */
  isRunning(bucket: string): boolean {
    return this.flight.current(bucket) !== undefined;
  }
}
