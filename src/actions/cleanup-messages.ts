/** What a person sees of a cleanup: the preview with its buttons, progress, the summary and the audit line. */
import type { Message } from '../message/model.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../message/format.js';
import { code, lit } from '../message/markup.js';
import type { CleanupFailure, CleanupProgress } from './cleanup-executor.js';
import type { CleanupPlan } from './cleanup-plan.js';

/** Who confirmed: a Slack mention, a Teams user (`teams:<Entra object id>`), or the person at a terminal (`cli:<login>`, the login may be empty). */
function actor(user: string): string {
  if (user.startsWith('teams:')) return `Teams user ${code(user.slice('teams:'.length))}`;
  if (!user.startsWith('cli:')) return `<@${user}>`;
  const login = user.slice('cli:'.length);
  return login ? `${lit(login)} on the command line` : 'someone on the command line';
}

/** Action ids of the preview's buttons. */
export const CLEANUP_CONFIRM_ACTION = 'cleanup_confirm';
export const CLEANUP_CANCEL_ACTION = 'cleanup_cancel';

export interface PreviewInput {
  bucket: string;
  label: string;
  prefix: string;
  olderThanDays: number;
  cutoff: Date;
  plan: CleanupPlan;
  /** `cleanup.includeUnmarked`: old objects the test upload did not write are deleted too. */
  includeUnmarked: boolean;
  /** The sealed plan both buttons carry (see cleanup-ticket.ts). */
  buttonValue: string;
}

/** The sentence on which objects count as test files, so the person confirms knowing it. */
function markingText(includeUnmarked: boolean, prefix: string, unmarkedKept: number): string {
  if (includeUnmarked) return `\`cleanup.includeUnmarked\` is on: every old object under ${code(prefix)} is deleted, whether the test upload wrote it or not.`;
  const kept = unmarkedKept > 0 ? ` ${plural(unmarkedKept, 'old object')} under the prefix ${unmarkedKept === 1 ? 'is' : 'are'} not the test upload's and will be kept.` : '';
  return `Only objects the test upload wrote (its key form, tagged \`s3-chatops=test\`: each tag is checked before deleting) are deleted.${kept} To delete the others too, set \`cleanup.includeUnmarked: true\`.`;
}

/** The preview: what would be deleted, then Delete (danger, behind a confirm dialog) and Cancel. */
export function cleanupPreviewMessage(input: PreviewInput): Message {
  const { plan, label, prefix, olderThanDays } = input;
  const scope = `test files under ${code(prefix)} older than ${plural(olderThanDays, 'day')} (before ${formatTimestamp(input.cutoff)})`;
  const marking = markingText(input.includeUnmarked, prefix, plan.unmarkedKept);
  if (plan.keys === 0) {
    return { summary: `Nothing to clean up in ${label}`, blocks: [{ kind: 'header', text: `Clean up ${label}` }, { kind: 'text', text: `No ${scope}. Nothing to delete.` }, { kind: 'text', text: marking }] };
  }
  const what = `${plural(plan.keys, 'object')} (${formatBytes(plan.bytes)})`;
  return {
    summary: `Clean up ${label}: ${what} would be deleted`,
    blocks: [
      { kind: 'header', text: `Clean up ${label}` },
      { kind: 'text', text: `Only ${scope} can be deleted.` },
      { kind: 'text', text: marking },
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
            value: input.buttonValue,
            confirm: { title: 'Delete test files?', text: `This permanently deletes ${what} from ${label}, every version included.`, confirm: 'Delete', deny: 'Keep them' },
          },
          { actionId: CLEANUP_CANCEL_ACTION, label: 'Cancel', value: input.buttonValue },
        ],
      },
    ],
  };
}

/** The preview message while the job runs. */
export function cleanupProgressMessage(label: string, user: string, progress: CleanupProgress): Message {
  const text = `Deleting old test files from ${label} (confirmed by ${actor(user)}): ${formatCount(progress.deleted)} of ${formatCount(progress.total)} versions deleted, ${formatBytes(progress.bytes)} freed.`;
  return { summary: text, blocks: [{ kind: 'header', text: `Cleaning up ${label}` }, { kind: 'text', text }] };
}

/** The final edit: how much was deleted, and each failure (the first ones, and how many more). */
export function cleanupSummaryMessage(label: string, user: string, progress: CleanupProgress, finishedAt: Date): Message {
  const failed = failedCountOf(progress);
  const more = failed - progress.failures.length;
  const singly = progress.deletedSingly ?? [];
  const kept = progress.keptUnmarked ? ` ${plural(progress.keptUnmarked, 'old object')} not written by the test upload ${progress.keptUnmarked === 1 ? 'was' : 'were'} kept.` : '';
  const head = `${failed === 0 ? 'Cleaned up' : 'Cleaned up, with failures,'} ${label}: ${plural(progress.deleted, 'version')} deleted (${formatBytes(progress.bytes)}), confirmed by ${actor(user)}, finished ${formatTimestamp(finishedAt)}.${kept}`;
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
      ...(singly.length > 0
        ? [
            {
              kind: 'list' as const,
              title: `${plural(singly.length, 'key')} deleted one at a time (a DeleteObjects request cannot carry ${singly.length === 1 ? 'its control characters' : 'their control characters'})`,
              items: singly.map((key) => ({ severity: 'info' as const, text: code(key) })),
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
  return `Cleanup: ${actor(input.user)} deleted ${plural(progress.deleted, 'version')} (${formatBytes(progress.bytes)}) of old test files from ${code(input.bucket)} at ${formatTimestamp(input.at)}${failures}.`;
}

/** The audit channel's line for a refused confirmation. */
export function refusedCleanupAuditText(input: { user: string; bucket: string; at: Date }): string {
  return `Refused cleanup: <@${input.user}> pressed Delete for ${code(input.bucket)} at ${formatTimestamp(input.at)} but is not in cleanup.allowedUsers; nothing was deleted.`;
}

/** The audit channel's line for a Delete press that did not match its preview's sealed plan. */
export function mismatchedCleanupAuditText(input: { user: string; at: Date; why: string }): string {
  return `Refused cleanup: <@${input.user}> pressed a Delete at ${formatTimestamp(input.at)} that ${input.why}; nothing was deleted.`;
}
