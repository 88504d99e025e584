// An S3 stand-in for the cleanup's unit tests: ListObjectVersions and DeleteObjects only.
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export const PREFIX = '_s3-chatops/test/';
export const OLD = new Date('2026-11-01T00:00:00Z');

/**
 * A listing of `n` old test objects in pages of 1,000, and DeleteObjects that fails the keys in
 * `failKeys`; `onDelete` runs before each DeleteObjects answers (to move a fake clock).
 */
export function fakeS3(n: number, failKeys: Set<string> = new Set(), onDelete?: (call: number) => void) {
  const keys = Array.from({ length: n }, (_, i) => `${PREFIX}k-${String(i).padStart(5, '0')}`);
  const deleteCalls: number[] = [];
  const s3 = {
    async send(command: unknown) {
      if (command instanceof ListObjectVersionsCommand) {
        const start = command.input.KeyMarker ? keys.indexOf(command.input.KeyMarker) + 1 : 0;
        const page = keys.slice(start, start + 1_000);
        const truncated = start + 1_000 < keys.length;
        return { Versions: page.map((Key) => ({ Key, VersionId: 'null', IsLatest: true, LastModified: OLD, Size: 10 })), IsTruncated: truncated, NextKeyMarker: truncated ? page.at(-1) : undefined, NextVersionIdMarker: truncated ? 'null' : undefined };
      }
      if (command instanceof DeleteObjectsCommand) {
        const objects = command.input.Delete!.Objects!;
        deleteCalls.push(objects.length);
        onDelete?.(deleteCalls.length);
        return { Errors: objects.filter((o) => failKeys.has(o.Key!)).map((o) => ({ Key: o.Key, VersionId: o.VersionId, Code: 'AccessDenied', Message: 'Access Denied' })) };
      }
      throw new Error('unexpected command');
    },
  };
  return { s3: s3 as unknown as S3Client, deleteCalls, keys };
}
