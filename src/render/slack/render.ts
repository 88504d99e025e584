import type { types as slack } from '@slack/bolt';
import type { Block, Button, Field, ListItem, Message, Severity } from '../../message/model.js';
import { stripMarkup } from '../../message/markup.js';
import { alignTable } from '../table.js';
import { showControls } from '../visible.js';
import { escapeMrkdwn, slackCodeText, toMrkdwn } from './mrkdwn.js';
import {
  type CountedBlock,
  fitBlockCount,
  SLACK_LIMITS,
  splitMrkdwn,
  truncateMrkdwn,
  truncatePlain,
} from './limits.js';

/** What `chat.postMessage` and `response_url` take: blocks, and the text shown in notifications. */
export interface SlackMessage {
  text: string;
  blocks: slack.KnownBlock[];
}

/** Emoji for each severity, as Slack shows them. */
export const SEVERITY_EMOJI: Record<Severity, string> = {
  ok: ':white_check_mark:',
  info: ':information_source:',
  warning: ':warning:',
  critical: ':red_circle:',
};

// Table cells longer than this are shortened so a column cannot push every row past a section.
const MAX_CELL = 80;

/** Renders a message as Block Kit, always within Slack's limits and with a meaningful `text`. */
export function renderSlack(message: Message): SlackMessage {
  const blocks = fitBlockCount(message.blocks.flatMap(renderBlock));
  return { text: fallbackText(message), blocks };
}

function fallbackText(message: Message): string {
  const first = message.blocks.find((b) => b.kind === 'header' || b.kind === 'text');
  const source = message.summary.trim() || (first && 'text' in first ? first.text : '') || 's3-chatops';
  return truncateMrkdwn(toMrkdwn(source), SLACK_LIMITS.fallbackText);
}

function renderBlock(block: Block): CountedBlock[] {
  switch (block.kind) {
    case 'header': {
      const text = truncatePlain(plainText(block.text).replace(/\s+/g, ' ').trim(), SLACK_LIMITS.headerText);
      return text ? [{ block: { type: 'header', text: { type: 'plain_text', text, emoji: true } } }] : [];
    }
    case 'text':
      return sections(toMrkdwn(block.text));
    case 'context':
      return contexts(toMrkdwn(block.text));
    case 'divider':
      return [{ block: { type: 'divider' } }];
    case 'fields':
      return fieldSections(block.fields);
    case 'list':
      return listSections(block.title, block.items);
    case 'table':
      return tableSections(block.columns, block.rows);
    case 'actions':
      return actionBlocks(block.buttons);
  }
}

/**
 * Every mrkdwn text object is verbatim: Slack then links and mentions only what the renderer
 * wrote as `<…>`, never a bare URL, `@here` or `#channel` that came with the data.
 */
function mrkdwn(text: string): slack.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Markup as plain text for `plain_text` objects, with hidden characters shown. */
function plainText(markup: string): string {
  return showControls(stripMarkup(markup));
}

function section(text: string): slack.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function sections(text: string): CountedBlock[] {
  if (text.trim() === '') return [];
  return splitMrkdwn(text, SLACK_LIMITS.sectionText).map((text) => ({ block: section(text) }));
}

function contexts(text: string): CountedBlock[] {
  if (text.trim() === '') return [];
  const texts = splitMrkdwn(text, SLACK_LIMITS.contextText);
  const blocks: CountedBlock[] = [];
  for (let i = 0; i < texts.length; i += SLACK_LIMITS.contextElements) {
    const elements = texts.slice(i, i + SLACK_LIMITS.contextElements).map((text) => mrkdwn(text));
    blocks.push({ block: { type: 'context', elements } });
  }
  return blocks;
}

function fieldText(field: Field): string {
  const label = toMrkdwn(field.label).trim();
  const value = toMrkdwn(field.value).trim() || '—';
  return truncateMrkdwn(label ? `*${label}*\n${value}` : value, SLACK_LIMITS.fieldText);
}

function fieldSections(fields: Field[]): CountedBlock[] {
  const blocks: CountedBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    const chunk = fields.slice(i, i + SLACK_LIMITS.fieldsPerSection);
    blocks.push({
      block: { type: 'section', fields: chunk.map((f) => mrkdwn(fieldText(f))) },
      items: chunk.length,
    });
  }
  return blocks;
}

function listLine(item: ListItem): string {
  const marker = item.severity ? SEVERITY_EMOJI[item.severity] : '•';
  const text = `${marker} ${toMrkdwn(item.text)}`;
  // An em space survives Slack's whitespace trimming, so the detail reads as indented.
  return item.detail ? `${text}\n\u2003${toMrkdwn(item.detail).replace(/\n/g, '\n\u2003')}` : text;
}

function listSections(title: string | undefined, items: ListItem[]): CountedBlock[] {
  const blocks: CountedBlock[] = [];
  let text = title ? `*${toMrkdwn(title)}*` : '';
  let count = 0;
  const flush = (): void => {
    if (text.trim() !== '') {
      // Only an overlong title makes this split; items were added within the limit.
      splitMrkdwn(text, SLACK_LIMITS.sectionText).forEach((part, i) => blocks.push({ block: section(part), items: i === 0 ? count : 0 }));
    }
    text = '';
    count = 0;
  };
  for (const item of items) {
    const line = listLine(item);
    if (text !== '' && text.length + 1 + line.length > SLACK_LIMITS.sectionText) flush();
    if (line.length > SLACK_LIMITS.sectionText) {
      flush();
      const parts = splitMrkdwn(line, SLACK_LIMITS.sectionText);
      parts.forEach((part, i) => blocks.push({ block: section(part), items: i === 0 ? 1 : 0 }));
      continue;
    }
    text = text === '' ? line : `${text}\n${line}`;
    count += 1;
  }
  flush();
  return blocks;
}

function tableSections(columns: string[], rows: string[][]): CountedBlock[] {
  // Cells are data: shown before they are aligned, and no backtick in them can close the fence.
  const lines = alignTable(columns.map(slackCodeText), rows.map((row) => row.map(slackCodeText)), { maxCell: MAX_CELL }).map(escapeMrkdwn);
  const [head = '', rule = '', ...body] = lines;
  const fence = (content: string[]): string => `\`\`\`\n${content.join('\n')}\n\`\`\``;
  if (body.length === 0) return [{ block: section(fence([head, rule, '(none)'])), rows: 0 }];
  const blocks: CountedBlock[] = [];
  let chunk: string[] = [];
  // Every chunk repeats the column heads, so each section reads on its own.
  const room = SLACK_LIMITS.sectionText - fence([head, rule]).length - 1;
  let size = 0;
  for (const line of body) {
    const fitted = line.length > room ? line.slice(0, room) : line;
    if (chunk.length > 0 && size + fitted.length + 1 > room) {
      blocks.push({ block: section(fence([head, rule, ...chunk])), rows: chunk.length });
      chunk = [];
      size = 0;
    }
    chunk.push(fitted);
    size += fitted.length + 1;
  }
  blocks.push({ block: section(fence([head, rule, ...chunk])), rows: chunk.length });
  return blocks;
}

function slackButton(button: Button): slack.Button {
  const out: slack.Button = {
    type: 'button',
    action_id: button.actionId.slice(0, SLACK_LIMITS.actionId),
    text: { type: 'plain_text', text: truncatePlain(plainText(button.label), SLACK_LIMITS.buttonText) || '…', emoji: true },
  };
  if (button.value !== undefined) out.value = button.value.slice(0, SLACK_LIMITS.buttonValue);
  if (button.url !== undefined && button.url.length <= SLACK_LIMITS.buttonUrl) out.url = button.url;
  if (button.style) out.style = button.style;
  if (button.confirm) {
    out.confirm = {
      title: { type: 'plain_text', text: truncatePlain(plainText(button.confirm.title), SLACK_LIMITS.confirmTitle) },
      text: mrkdwn(truncateMrkdwn(toMrkdwn(button.confirm.text), SLACK_LIMITS.confirmText)),
      confirm: { type: 'plain_text', text: truncatePlain(plainText(button.confirm.confirm), SLACK_LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: truncatePlain(plainText(button.confirm.deny), SLACK_LIMITS.confirmButton) },
    };
  }
  return out;
}

function actionBlocks(buttons: Button[]): CountedBlock[] {
  const blocks: CountedBlock[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) {
    blocks.push({ block: { type: 'actions', elements: buttons.slice(i, i + SLACK_LIMITS.actionsElements).map(slackButton) } });
  }
  return blocks;
}
