export { gatherDigest, digestQueries, DIGEST_COST_DAYS, DIGEST_UPLOAD_COUNT_CAP, DIGEST_WINDOW_MS, type DigestConfig, type GatherDigestOptions } from './gather.js';
export { buildDigest, DIGEST_INLINE_BUCKETS, DIGEST_THREAD_BUCKETS } from './build.js';
export { attentionOf, type Attention } from './attention.js';
export type * from './types.js';
