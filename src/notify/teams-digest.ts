/**
 * The daily digest as one Teams card. A webhook cannot thread, so where Slack puts a large
 * fleet's per-bucket detail in the thread, the Teams card keeps the summary (fleet totals, the
 * buckets that need attention, cost) and says what it left out and where to read it.
 */
import { plural } from '../message/format.js';
import type { Block, Message } from '../message/model.js';
import type { DigestReport } from '../reports/digest/types.js';

/** The digest card's message: the whole digest when it is one message, else its summary with a note of what is left out. */
export function teamsDigestMessage(report: DigestReport): Message {
  if (report.thread.length === 0) return report.main;
  const buckets = report.thread.reduce((n, m) => n + m.blocks.reduce((k, b) => k + (b.kind === 'list' ? b.items.length : 0), 0), 0);
  // The summary's last line points at the Slack thread; Teams has none.
  const blocks: Block[] = report.main.blocks.slice(0, -1).map((b) =>
    b.kind === 'list' ? { ...b, items: b.items.map((i) => ({ ...i, text: i.text.replace(/, in the thread$/, ', left out here') })) } : b,
  );
  blocks.push({
    kind: 'context',
    text: `Per-bucket detail for all ${plural(buckets, 'bucket')} is left out of this card to stay within Teams' 28 KB message limit: \`s3-chatops digest\` prints it, and the Slack digest has it in its thread.`,
  });
  return { summary: report.main.summary, blocks };
}
