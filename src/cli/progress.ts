/** Progress of long S3 work on a terminal's stderr: what is being done now, and how much was listed. */
import type { S3Client } from '@aws-sdk/client-s3';

/** What a person reads while a command of that name is under way. */
const DOING: Record<string, string> = {
  PutObjectCommand: 'writing the test object',
  CreateMultipartUploadCommand: 'writing the test object (multipart)',
  GetObjectCommand: 'reading it back and checking it',
  DeleteObjectCommand: 'deleting',
};

/** Adds a middleware to `s3` that writes one line per step, and the running count of a listing, to `write`. */
export function reportS3Progress(s3: S3Client, write: (line: string) => void): void {
  let listed = 0;
  let lastDoing: string | undefined;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const doing = DOING[name];
      // A cleanup deletes version by version: one line per kind of work, not per request.
      if (doing && doing !== lastDoing) write(`${doing}…\n`);
      lastDoing = doing ?? lastDoing;
      const answer = await next(args);
      if (name === 'ListObjectVersionsCommand') {
        const output = answer.output as { Versions?: unknown[]; DeleteMarkers?: unknown[] };
        listed += (output.Versions?.length ?? 0) + (output.DeleteMarkers?.length ?? 0);
        write(`listed ${listed.toLocaleString('en-US')} versions so far…\n`);
      }
      if (name === 'ListObjectsV2Command') {
        listed += (answer.output as { Contents?: unknown[] }).Contents?.length ?? 0;
        write(`scanned ${listed.toLocaleString('en-US')} keys so far…\n`);
      }
      return answer;
    },
    { step: 'initialize', name: 'cliProgress' },
  );
}
