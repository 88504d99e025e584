import type { BucketConfig } from '../config/schema.js';
import { UserFacingError } from '../lib/errors.js';

/** The bucket a `required` command runs on; the parser guarantees it, this says so if a caller skipped the parser. */
export function requireBucket(bucket: BucketConfig | undefined, verb: string): BucketConfig {
  if (!bucket) throw new UserFacingError('bad_input', `\`${verb}\` needs a bucket.`);
  return bucket;
}
