/**
 * `s3-chatops cleanup <bucket> [--yes] [--json]`: the preview; with --yes the deletion, in this
 * process (no Slack or Redis needed), with progress on stderr and the summary on stdout. The
 * audit line goes to the audit channel when a bot token and `channels.audit` are configured.
 */
import { executeCleanup } from '../actions/cleanup-executor.js';
import { cleanupAuditText, cleanupSummaryMessage } from '../actions/cleanup-messages.js';
import { previewConfiguredCleanup } from '../actions/cleanup-preview.js';
import { tokenMessenger } from '../actions/slack-messenger.js';
import { createFleet } from '../aws/fleet.js';
import { formatBytes, formatCount } from '../message/format.js';
import { escapeTerminal } from '../render/text/index.js';
import { bucketLabel } from '../reports/types.js';
import { badUsage, CLEANUP_USAGE, PROGRAM } from './usage.js';
import { shellWord } from './shell.js';
import { reportS3Progress } from './progress.js';
import { parseBucketArgs, type ActionCliIo } from './action-io.js';

/** Runs the command; returns the exit status (1 when some versions could not be deleted). */
export async function runCleanupCli(rest: readonly string[], io: ActionCliIo): Promise<number> {
  const config = await io.loadConfig();
  const args = parseBucketArgs('cleanup', rest, config, { yes: { type: 'boolean' }, json: { type: 'boolean' } });
  if ('problem' in args) {
    io.stderr.write(badUsage(args.problem, CLEANUP_USAGE));
    return 2;
  }
  const { bucket, flags } = args;
  const label = bucketLabel(bucket);
  const fleet = createFleet(config, { logger: io.logger });
  try {
    const s3 = await fleet.s3For(bucket.name);
    // Progress is for a person watching; a pipe or a log gets the answer alone.
    if (io.stderr.isTTY) reportS3Progress(s3, (line) => io.stderr.write(line));
    const includeUnmarked = config.cleanup.includeUnmarked;
    const preview = await previewConfiguredCleanup(s3, config, bucket, { now: io.now() });
    if (!flags.yes || preview.plan.keys === 0) {
      if (flags.json) io.stdout.write(`${JSON.stringify({ cutoff: preview.cutoff, ...preview.plan, targets: preview.plan.targets.length }, null, 2)}\n`);
      else {
        io.stdout.write(io.render(preview.message));
        if (preview.plan.keys > 0) io.stdout.write(`\nNothing was deleted. Run \`${PROGRAM} cleanup ${escapeTerminal(shellWord(bucket.alias ?? bucket.name))} --yes\` to delete these ${formatCount(preview.plan.keys)} objects.\n`);
      }
      return 0;
    }
    // Who typed --yes, as the shell knows them; the messages say it was on the command line.
    const user = `cli:${(io.env.USER ?? io.env.USERNAME ?? '').trim()}`;
    const result = await executeCleanup(
      {
        s3,
        logger: io.logger,
        ...(config.cleanup.batchSize ? { batchSize: config.cleanup.batchSize } : {}),
        onProgress: async (p) => {
          io.stderr.write(`deleted ${formatCount(p.deleted)} of ${formatCount(p.total)} versions (${formatBytes(p.bytes)})\n`);
        },
      },
      bucket.name,
      // No more keys than the preview printed: --yes confirms what was just shown.
      { prefix: bucket.testPrefix, cutoff: preview.cutoff, includeUnmarked, maxKeys: preview.plan.keys },
    );
    const at = io.now();
    io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : io.render(cleanupSummaryMessage(label, user, result, at)));
    const audit = config.channels.audit;
    if (audit && config.slack.botToken) {
      const text = cleanupAuditText({ user, bucket: bucket.name, at, progress: result });
      // A person waits at the terminal for the command to end: the interactive bound.
      await tokenMessenger({ token: config.slack.botToken, purpose: 'interactive', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) })
        .post(audit, { summary: text, blocks: [{ kind: 'text', text }] })
        .catch((error: unknown) => io.stderr.write(`note: could not post to the audit channel: ${escapeTerminal((error as Error).message)}\n`));
    }
    return result.failedCount === 0 ? 0 : 1;
  } finally {
    fleet.release();
  }
}
