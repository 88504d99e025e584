// An S3 stand-in for the cleanup's unit tests: ListObjectVersions, DeleteObjects, DeleteObject and GetObjectTagging.
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectTaggingCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export const PREFIX = '_s3-chatops/test/';
export const OLD = new Date('2026-11-01T00:00:00Z');

export interface FakeS3Options {
  /** The keys listed instead of `n` generated ones. */
  keys?: string[];
  /** Keys whose GetObjectTagging answers `s3-chatops=test`; every other key answers no tags. */
  tagged?: Set<string>;
}

/**
 * A listing of `n` old test objects in pages of 1,000, and DeleteObjects that fails the keys in
 * `failKeys`; `onDelete` runs before each DeleteObjects answers (to move a fake clock). As S3 does,
 * DeleteObjects refuses a whole body naming a key with a character XML 1.0 cannot carry.
 */
export function fakeS3(n: number, failKeys: Set<string> = new Set(), onDelete?: (call: number) => void, options: FakeS3Options = {}) {
  const keys = options.keys ?? Array.from({ length: n }, (_, i) => `${PREFIX}k-${String(i).padStart(5, '0')}`);
  const deleteCalls: number[] = [];
  const singleDeletes: string[] = [];
  const tagReads: string[] = [];
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
        if (objects.some((o) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(o.Key!))) {
          throw Object.assign(new Error('The XML you provided was not well-formed'), { name: 'MalformedXML', $metadata: { httpStatusCode: 400 } });
        }
        return { Errors: objects.filter((o) => failKeys.has(o.Key!)).map((o) => ({ Key: o.Key, VersionId: o.VersionId, Code: 'AccessDenied', Message: 'Access Denied' })) };
      }
      if (command instanceof DeleteObjectCommand) {
        singleDeletes.push(command.input.Key!);
        if (failKeys.has(command.input.Key!)) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        return {};
      }
      if (command instanceof GetObjectTaggingCommand) {
        tagReads.push(command.input.Key!);
        return { TagSet: options.tagged?.has(command.input.Key!) ? [{ Key: 's3-chatops', Value: 'test' }] : [] };
      }
      throw new Error('unexpected command');
    },
  };
  return { s3: s3 as unknown as S3Client, deleteCalls, singleDeletes, tagReads, keys };
}
