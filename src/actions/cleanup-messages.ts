/** What a person sees of a cleanup: the preview with its buttons, progress, the summary and the audit line. */
import type { Message } from '../render/model.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../render/format.js';
import { code, lit } from '../render/markup.js';
import type { CleanupFailure, CleanupProgress } from './cleanup-executor.js';
import type { CleanupPlan } from './cleanup-plan.js';

/** Action ids of the preview's buttons. */
export const CLEANUP_PREVIEW_ACTION = 'cleanup_preview';
export const CLEANUP_CONFIRM_ACTION = 'cleanup_confirm';
export const CLEANUP_CANCEL_ACTION = 'cleanup_cancel';

/** What the Delete button carries: the bucket and the cutoff fixed when the preview was made. */
export interface CleanupButtonValue {
  bucket: string;
  cutoff: string;
}

/** Reads a Delete button's value; `null` for anything that is not one. */
export function parseCleanupButtonValue(value: string | undefined): CleanupButtonValue | null {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<CleanupButtonValue>;
    if (typeof parsed.bucket !== 'string' || typeof parsed.cutoff !== 'string' || Number.isNaN(Date.parse(parsed.cutoff))) return null;
    return { bucket: parsed.bucket, cutoff: parsed.cutoff };
  } catch {
    return null;
  }
}

export interface PreviewInput {
  bucket: string;
  label: string;
  prefix: string;
  olderThanDays: number;
  cutoff: Date;
  plan: CleanupPlan;
}

/** The preview: what would be deleted, then Delete (danger, behind a confirm dialog) and Cancel. */
export function cleanupPreviewMessage(input: PreviewInput): Message {
  const { plan, label, prefix, olderThanDays } = input;
  const scope = `test files under ${code(prefix)} older than ${plural(olderThanDays, 'day')} (before ${formatTimestamp(input.cutoff)})`;
  if (plan.keys === 0) {
    return { summary: `Nothing to clean up in ${label}`, blocks: [{ kind: 'header', text: `Clean up ${label}` }, { kind: 'text', text: `No ${scope}. Nothing to delete.` }] };
  }
  const value: CleanupButtonValue = { bucket: input.bucket, cutoff: input.cutoff.toISOString() };
  const what = `${plural(plan.keys, 'object')} (${formatBytes(plan.bytes)})`;
  return {
    summary: `Clean up ${label}: ${what} would be deleted`,
    blocks: [
      { kind: 'header', text: `Clean up ${label}` },
      { kind: 'text', text: `Only ${scope} can be deleted.` },
      {
        kind: 'fields',
        fields: [
          { label: 'Objects', value: formatCount(plan.keys) },
          { label: 'Size', value: formatBytes(plan.bytes) },
          { label: 'Oldest', value: plan.oldest ? formatTimestamp(plan.oldest) : '—' },
          { label: 'Newest', value: plan.newest ? formatTimestamp(plan.newest) : '—' },
          ...(plan.extraVersions > 0 ? [{ label: 'Older versions and delete markers', value: formatCount(plan.extraVersions) }] : []),
        ],
      },
      { kind: 'list', title: 'For example', items: plan.sample.map((key) => ({ text: code(key) })) },
      {
        kind: 'actions',
        buttons: [
          {
            actionId: CLEANUP_CONFIRM_ACTION,
            label: 'Delete',
            style: 'danger',
            value: JSON.stringify(value),
            confirm: { title: 'Delete test files?', text: `This permanently deletes ${what} from ${label}, every version included.`, confirm: 'Delete', deny: 'Keep them' },
          },
          { actionId: CLEANUP_CANCEL_ACTION, label: 'Cancel', value: input.bucket },
        ],
      },
    ],
  };
}

/** The preview message while the job runs. */
export function cleanupProgressMessage(label: string, user: string, progress: CleanupProgress): Message {
  const text = `Deleting old test files from ${label} (confirmed by <@${user}>): ${formatCount(progress.deleted)} of ${formatCount(progress.total)} versions deleted, ${formatBytes(progress.bytes)} freed.`;
  return { summary: text, blocks: [{ kind: 'header', text: `Cleaning up ${label}` }, { kind: 'text', text }] };
}

/** The final edit: how much was deleted, and each failure (the first ones, and how many more). */
export function cleanupSummaryMessage(label: string, user: string, progress: CleanupProgress, finishedAt: Date): Message {
  const failed = failedCountOf(progress);
  const more = failed - progress.failures.length;
  const head = `${failed === 0 ? 'Cleaned up' : 'Cleaned up, with failures,'} ${label}: ${plural(progress.deleted, 'version')} deleted (${formatBytes(progress.bytes)}), confirmed by <@${user}>, finished ${formatTimestamp(finishedAt)}.`;
  return {
    summary: head,
    blocks: [
      { kind: 'header', text: `Cleanup of ${label} ${failed === 0 ? 'done' : 'finished with failures'}` },
      { kind: 'text', text: head },
      ...(failed > 0
        ? [
            {
              kind: 'list' as const,
              title: `${plural(failed, 'version')} could not be deleted`,
              items: [...progress.failures.map(failureLine), ...(more > 0 ? [{ severity: 'warning' as const, text: `and ${formatCount(more)} more (not listed; the worker's log has the count, and a new cleanup tries them again)` }] : [])],
            },
          ]
        : []),
    ],
  };
}

/** Failures of a run, listed or not (a progress recorded before the count was kept has only the list). */
function failedCountOf(progress: CleanupProgress): number {
  return Math.max(progress.failedCount ?? 0, progress.failures.length);
}

function failureLine(f: CleanupFailure): { severity: 'warning'; text: string; detail: string } {
  return { severity: 'warning', text: `${code(f.key)}${f.versionId && f.versionId !== 'null' ? ` (version ${code(f.versionId)})` : ''}`, detail: `${lit(f.code)}: ${lit(f.message)}` };
}

/** The audit channel's line for a finished cleanup: who, when, bucket, how many, how many bytes. */
export function cleanupAuditText(input: { user: string; bucket: string; at: Date; progress: CleanupProgress }): string {
  const { progress } = input;
  const failed = failedCountOf(progress);
  const more = failed - progress.failures.length;
  const failures = failed === 0 ? '' : more > 0 ? `; ${plural(failed, 'failure')} (${formatCount(progress.failures.length)} listed in the summary and ${formatCount(more)} more)` : `; ${plural(failed, 'failure')}`;
  return `Cleanup: <@${input.user}> deleted ${plural(progress.deleted, 'version')} (${formatBytes(progress.bytes)}) of old test files from ${code(input.bucket)} at ${formatTimestamp(input.at)}${failures}.`;
}

/** The audit channel's line for a refused confirmation. */
export function refusedCleanupAuditText(input: { user: string; bucket: string; at: Date }): string {
  return `Refused cleanup: <@${input.user}> pressed Delete for ${code(input.bucket)} at ${formatTimestamp(input.at)} but is not in cleanup.allowedUsers; nothing was deleted.`;
}
