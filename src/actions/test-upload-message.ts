/** The answer to a test upload: each step and its time, or the step that failed and why. */
import type { Message } from '../message/model.js';
import { formatBytes, formatMillis } from '../message/format.js';
import { code } from '../message/markup.js';
import type { TestUploadResult } from './test-upload.js';

const STEP_LABEL = { write: 'Write', read: 'Read back', verify: 'Verify SHA-256', delete: 'Delete' } as const;

/** The result as a message, for the thread that asked (Slack) or a terminal. */
export function testUploadMessage(result: TestUploadResult, label: string): Message {
  const how = `${formatBytes(result.sizeBytes)}${result.multipart ? ', multipart' : ''}`;
  const summary = result.ok
    ? `Test upload to ${label} worked: ${formatMillis(result.totalMs)} in all (${how})`
    : `Test upload to ${label} failed at the ${result.failure!.step} step`;
  return {
    summary,
    blocks: [
      { kind: 'text', text: `**${summary}**` },
      {
        kind: 'list',
        items: result.steps.map((s) => ({ severity: s.ok ? ('ok' as const) : ('critical' as const), text: `${STEP_LABEL[s.name]}: ${s.ok ? formatMillis(s.ms) : `failed after ${formatMillis(s.ms)}`}` })),
      },
      ...(result.failure ? [{ kind: 'text' as const, text: result.failure.message }] : []),
      { kind: 'context', text: `${code(result.key)}, tagged s3-chatops=test` },
    ],
  };
}
