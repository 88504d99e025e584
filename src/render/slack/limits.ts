/**
 * Slack's Block Kit limits, and the only code that enforces them. The renderer builds blocks
 * freely and passes every piece of text through here.
 */
import type { types as slack } from '@slack/bolt';

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  headerText: 150,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 3000,
} as const;

const ELLIPSIS = '…';

/** Shortens plain text to `max` characters, at a word boundary where there is one, marking the cut with `…`. */
export function truncatePlain(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  // The head ends on a whole word when the character after it is a space.
  const endsOnWord = /\s/.test(chars[max - 1] ?? '');
  const space = head.lastIndexOf(' ');
  const cut = endsOnWord || space <= max / 2 ? head : head.slice(0, space);
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/** Shortens mrkdwn to `max` characters without cutting a word or a link in half. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${(splitMrkdwn(text, max - 1)[0] ?? '').trimEnd()}${ELLIPSIS}`;
}

// A code span, a link or a user/channel mention is one unit (a code span cut in two would let
// its content be read as formatting); so is an escape entity and a run of non-spaces.
const UNIT = /`[^`\n]*`|<[^>\n]*>|&(?:amp|lt|gt);|[^\s<&`]+|`|&|\s+/g;

/**
 * Splits mrkdwn into pieces of at most `max` characters: between lines where it can, else
 * between words, never inside a link; only a single word longer than `max` is cut.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  const push = (piece: string): void => {
    if (current === '') current = piece;
    else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
    else {
      pieces.push(current);
      current = piece;
    }
  };
  for (const line of text.split('\n')) {
    if (line.length <= max) push(line);
    else for (const part of splitLongLine(line, max)) push(part);
  }
  if (current !== '' || pieces.length === 0) pieces.push(current);
  return pieces;
}

function splitLongLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const unit of line.match(UNIT) ?? []) {
    if (current.length + unit.length <= max) {
      current += unit;
      continue;
    }
    if (current.trim() !== '') parts.push(current.trimEnd());
    current = /^\s+$/.test(unit) ? '' : unit;
    // Only a unit longer than a whole piece (a 3,000-character word) is cut.
    while (current.length > max) {
      parts.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current.trim() !== '') parts.push(current.trimEnd());
  return parts;
}

/** A Block Kit block with what it carries, so blocks left out can be described. */
export interface CountedBlock {
  block: slack.KnownBlock;
  rows?: number;
  items?: number;
}

/**
 * Keeps a message within Slack's block limit: blocks past it are folded into one context line
 * saying what was left out; action blocks are kept so the message's buttons still work.
 */
export function fitBlockCount(blocks: CountedBlock[], max: number = SLACK_LIMITS.blocks): slack.KnownBlock[] {
  if (blocks.length <= max) return blocks.map((b) => b.block);
  const actions = blocks.filter((b) => b.block.type === 'actions').slice(0, max - 1);
  const room = max - 1 - actions.length;
  const kept: CountedBlock[] = [];
  const dropped: CountedBlock[] = [];
  for (const b of blocks) {
    if (b.block.type === 'actions') continue;
    if (kept.length < room) kept.push(b);
    else dropped.push(b);
  }
  const droppedActions = blocks.filter((b) => b.block.type === 'actions').length - actions.length;
  const rows = dropped.reduce((n, b) => n + (b.rows ?? 0), 0);
  const items = dropped.reduce((n, b) => n + (b.items ?? 0), 0);
  const parts = [
    rows > 0 ? `${rows} table row${rows === 1 ? '' : 's'}` : '',
    items > 0 ? `${items} list item${items === 1 ? '' : 's'}` : '',
    `${dropped.length + droppedActions} block${dropped.length + droppedActions === 1 ? '' : 's'} in all`,
  ].filter(Boolean);
  const fold: slack.ContextBlock = {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        verbatim: true,
        text: `_Left out to fit Slack's ${max}-block limit: ${parts.join(', ')}. The command line (\`s3-chatops … --json\`) shows everything._`,
      },
    ],
  };
  return [...kept.map((b) => b.block), fold, ...actions.map((b) => b.block)];
}
