/**
 * The Teams card of one alert change. A webhook message cannot be edited, so every change
 * (firing, reminder, resolved, snoozed, acknowledged) is a card of its own that names the alert
 * (rule, bucket, since when) and carries everything the Slack message shows at that version.
 */
import { alertMessage, threadLine, type AlertMessageOptions } from '../alerts/message.js';
import type { AlertEvent, AlertEventKind } from '../alerts/types.js';
import { formatTimestamp } from '../message/format.js';
import { code } from '../message/markup.js';
import type { Block, Button, Message } from '../message/model.js';
import { bucketRegion, cloudWatchConsoleUrl } from '../alerts/message.js';

const KIND_TITLE: Record<AlertEventKind, { icon: string; word: string }> = {
  fired: { icon: '🔴', word: 'Firing' },
  reminder: { icon: '🔁', word: 'Still firing' },
  'snooze-ended': { icon: '🔔', word: 'Snooze over, still firing' },
  snoozed: { icon: '🔕', word: 'Snoozed' },
  acknowledged: { icon: '👀', word: 'Acknowledged' },
  resolved: { icon: '✅', word: 'Resolved' },
};

/** The S3 console page of a bucket. */
export function s3ConsoleUrl(region: string, bucket: string): string {
  return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?region=${region}&tab=metrics`;
}

/** The card for one alert event: its kind and the alert in the title, the alert message's content, console links. */
export function teamsAlertMessage(event: AlertEvent, options: AlertMessageOptions): Message {
  const s = event.state;
  const where = s.bucket === '*' ? 'all buckets' : (options.label?.(s.bucket) ?? s.bucket);
  const { icon, word } = KIND_TITLE[event.kind];
  const since = s.since ? ` since ${formatTimestamp(new Date(s.since))}` : '';
  const slack = alertMessage(s, options);
  // The Slack message's own header and its Slack-only buttons give way to the change's title and links.
  const content = slack.blocks.filter((b) => b.kind !== 'header' && b.kind !== 'actions');
  const blocks: Block[] = [
    { kind: 'header', text: `${icon} ${word}: ${s.rule} on ${where}` },
    { kind: 'context', text: `Alert ${code(s.id)}${since} · change ${event.version} at ${formatTimestamp(new Date(event.at))}` },
    ...(event.kind === 'fired' ? [] : [{ kind: 'text' as const, text: changeLine(event) }]),
    ...content,
  ];
  if (s.status === 'firing') blocks.push({ kind: 'context', text: 'Snooze or acknowledge it from the alert message in Slack, or with `/s3 alerts`.' });
  blocks.push({ kind: 'actions', buttons: links(s.bucket, bucketRegion(options, s.bucket)) });
  return { summary: `${word}: ${s.rule} on ${where}${since}`, blocks: blocks.map(slackMentions) };
}

/** The change's thread line with its lead in bold: `**Resolved after 1 h:** Error rate …`; the rest keeps its own markup. */
function changeLine(event: AlertEvent): string {
  const line = threadLine(event);
  const at = line.indexOf(': ');
  return at < 0 ? `**${line}**` : `**${line.slice(0, at + 1)}** ${line.slice(at + 2)}`;
}

function links(bucket: string, region: string): Button[] {
  if (bucket === '*') return [{ actionId: 'open_cost_explorer', label: 'Cost Explorer', url: 'https://console.aws.amazon.com/cost-management/home#/cost-explorer' }];
  return [
    { actionId: 'open_cloudwatch', label: 'CloudWatch metrics', url: cloudWatchConsoleUrl(region, bucket) },
    { actionId: 'open_s3', label: 'S3 console', url: s3ConsoleUrl(region, bucket) },
  ];
}

/** Slack user ids mean nothing in Teams: `<@U123>` reads "Slack user U123". */
/** A Slack mention the templates wrote (`<@U…>`) as plain words, since Teams cannot resolve it. */
export function slackMentions(block: Block): Block {
  const fix = (t: string) => t.replace(/<@([UW][A-Z0-9]+|someone)>/g, (_, id: string) => (id === 'someone' ? 'someone' : `Slack user ${id}`));
  return block.kind === 'text' || block.kind === 'context' || block.kind === 'header' ? { ...block, text: fix(block.text) } : block;
}
