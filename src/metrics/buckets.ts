/** Upload durations in seconds, from 5 ms (a small object on a warm connection) to 10 minutes (a multi-GB multipart upload). */
export const UPLOAD_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Upload sizes in bytes, 1 KiB to 5 GiB (S3's single PUT limit). */
export const UPLOAD_SIZE_BUCKETS = [1_024, 16_384, 262_144, 1_048_576, 16_777_216, 104_857_600, 1_073_741_824, 5_368_709_120];

/** Slash command computations: Slack wants a first answer within 3 s, reports should land well inside 30 s. */
export const COMMAND_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

/** Background jobs: alert evaluation ticks take seconds, cleanups of large prefixes minutes. */
export const JOB_DURATION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
