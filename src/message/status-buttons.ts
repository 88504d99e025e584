/**
 * The buttons of the status message, shared by the report that places them and by every surface
 * that handles a press (Slack's actions, the Teams bot's Universal Actions).
 */
import { code } from './markup.js';

/** Refresh: the status report again, skipping a reused answer. */
export const STATUS_REFRESH_ACTION = 'status_refresh';
/** Run test upload: the `test` command on the button's bucket. */
export const TEST_UPLOAD_ACTION = 'test_upload';
/** Clean up test files: the cleanup preview of the button's bucket. */
export const CLEANUP_PREVIEW_ACTION = 'cleanup_preview';

/** Said, on every surface, when a button's bucket is gone from the configuration (or it names none). */
export function unknownBucketButtonText(name: string | undefined): string {
  return name === undefined ? 'This button names no bucket, so it cannot run.' : `${code(name)} is no longer a configured bucket, so this button cannot run.`;
}

/**
 * The bucket a status button is about: its `value` is the bucket name or alias, or JSON with
 * a `bucket` field; empty means the fleet view.
 */
export function bucketFromButtonValue(value: string | undefined): string | undefined {
  const raw = (value ?? '').trim();
  if (raw === '') return undefined;
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as { bucket?: unknown };
      return typeof parsed.bucket === 'string' && parsed.bucket !== '' ? parsed.bucket : undefined;
    } catch {
      return raw;
    }
  }
  return raw;
}
