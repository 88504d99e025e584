/**
 * Renders the neutral message model as an Adaptive Card 1.5 for a Teams Workflows webhook:
 * headers and text as TextBlocks, fields as a FactSet, tables as Tables, lists as one container
 * per item, buttons with a URL as `Action.OpenUrl`. Buttons without a URL need a bot to answer the
 * press: a webhook card leaves them out; a card the Teams bot posts (`interactive`) makes them
 * Universal Actions (`Action.Execute`), a button with a confirmation opening it first. Every card stays under
 * Teams' 28 KB message limit; what does not fit is named in the card's last line.
 */
import type { Block, Button, Field, ListItem, Message, Severity } from '../model.js';
import { stripMarkup } from '../markup.js';
import { showControls } from '../visible.js';
import type { AdaptiveCard, CardAction, CardElement, ExecuteAction, OpenUrlAction, Table, TeamsWebhookBody, TextBlock } from './card.js';
import { clipText, type CountedElement, fitActions, fitElements, jsonBytes, TEAMS_LIMITS } from './limits.js';
import { boldTeamsMarkdown, escapeTeamsMarkdown, toTeamsMarkdown, wholeCodeSpan } from './markdown.js';

/** The marker of each severity, as Teams shows emoji in text. */
export const SEVERITY_ICON: Record<Severity, string> = {
  ok: '✅',
  info: 'ℹ️',
  warning: '⚠️',
  critical: '🔴',
};

/** The webhook body for a message: a `message` whose one attachment is the card. */
export function renderTeams(message: Message): TeamsWebhookBody {
  return teamsWebhookBody(renderTeamsCard(message));
}

/** Wraps a card in the body a Teams Workflows webhook takes. */
export function teamsWebhookBody(card: AdaptiveCard): TeamsWebhookBody {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

export interface TeamsCardOptions {
  /** The card is posted by the Teams bot, which answers presses: buttons without a URL become `Action.Execute`. */
  interactive?: boolean;
}

/** Renders a message as an Adaptive Card whose webhook body stays within Teams' size limit. */
export function renderTeamsCard(message: Message, options: TeamsCardOptions = {}): AdaptiveCard {
  const elements = withSeparators(message.blocks);
  const buttons = message.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons : []));
  const actions = fitActions(buttons.flatMap((button) => (options.interactive ? [...openUrl(button), ...execute(button)] : openUrl(button))));
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: clipText(showControls(stripMarkup(message.summary || 's3-chatops')), 500),
    body: [],
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
  const baseBytes = jsonBytes(teamsWebhookBody(card));
  card.body = fitElements(elements, baseBytes, TEAMS_LIMITS.bodyBudgetBytes, foldLine);
  return card;
}

function foldLine(left: { rows: number; items: number; parts: number }): CardElement {
  const parts = [
    left.rows > 0 ? `${left.rows} table row${left.rows === 1 ? '' : 's'}` : '',
    left.items > 0 ? `${left.items} list item${left.items === 1 ? '' : 's'}` : '',
    `${left.parts} part${left.parts === 1 ? '' : 's'} in all`,
  ].filter(Boolean);
  return {
    type: 'TextBlock',
    text: `_Left out to fit Teams' 28 KB message limit: ${parts.join(', ')}. The command line (s3-chatops … --json) shows everything._`,
    wrap: true,
    isSubtle: true,
    size: 'Small',
    separator: true,
  };
}

/** Renders every block; a divider becomes a separator line above the element that follows it. */
function withSeparators(blocks: Block[]): CountedElement[] {
  const out: CountedElement[] = [];
  let separate = false;
  for (const block of blocks) {
    if (block.kind === 'divider') {
      separate = true;
      continue;
    }
    const rendered = renderBlock(block);
    if (separate && rendered[0]) rendered[0].element.separator = true;
    if (rendered.length > 0) separate = false;
    out.push(...rendered);
  }
  return out;
}

function renderBlock(block: Exclude<Block, { kind: 'divider' }>): CountedElement[] {
  switch (block.kind) {
    case 'header': {
      const text = clipText(stripMarkup(block.text).replace(/\s+/g, ' ').trim(), 300);
      return text ? [{ element: { type: 'TextBlock', text: escapeTeamsMarkdown(text), wrap: true, style: 'heading', size: 'Large', weight: 'Bolder' } }] : [];
    }
    case 'text':
      return textBlocks(block.text, {});
    case 'context':
      return textBlocks(block.text, { isSubtle: true, size: 'Small' });
    case 'fields':
      return block.fields.length > 0 ? [{ element: { type: 'FactSet', facts: block.fields.map(fact) }, items: block.fields.length }] : [];
    case 'list':
      return listElements(block.title, block.items);
    case 'table':
      return tableElements(block.columns, block.rows);
    case 'actions':
      // Buttons become card actions (see renderTeamsCard), not body elements.
      return [];
  }
}

/** One TextBlock per paragraph of text; a line that is only a code span (a sparkline) is monospace. */
function textBlocks(markup: string, style: Partial<TextBlock>): CountedElement[] {
  if (markup.trim() === '') return [];
  const items = clipText(markup)
    .split('\n')
    .map((line, i) => textBlock(line, { ...style, ...(i > 0 ? { spacing: 'None' as const } : {}) }));
  return [{ element: items.length === 1 ? items[0]! : { type: 'Container', items } }];
}

function textBlock(line: string, style: Partial<TextBlock>): TextBlock {
  const code = wholeCodeSpan(line);
  // Teams drops an empty TextBlock's line; a no-break space keeps a blank line blank.
  const text = code !== null ? escapeTeamsMarkdown(code) : toTeamsMarkdown(line) || '\u00a0';
  return { type: 'TextBlock', text, wrap: true, ...style, ...(code !== null ? { fontType: 'Monospace' as const } : {}) };
}

function fact(field: Field): { title: string; value: string } {
  // Lines joined first, so a line start's escape is decided where the text ends up.
  const value = toTeamsMarkdown(clipText(field.value, 1_000).replace(/\n/g, ' · '));
  return { title: escapeTeamsMarkdown(clipText(stripMarkup(field.label), 200)), value: value.trim() || '—' };
}

function listElements(title: string | undefined, items: ListItem[]): CountedElement[] {
  const out: CountedElement[] = [];
  if (title) out.push({ element: { type: 'TextBlock', text: boldTeamsMarkdown(stripMarkup(title)), wrap: true, spacing: 'Medium' } });
  for (const item of items) {
    const marker = item.severity ? SEVERITY_ICON[item.severity] : '•';
    const head = textBlock(`${marker} ${clipText(item.text)}`, {});
    const details = item.detail ? clipText(item.detail).split('\n').map((line) => textBlock(line, { isSubtle: true, spacing: 'None' })) : [];
    out.push({ element: details.length === 0 ? head : { type: 'Container', items: [head, ...details], spacing: 'Small' }, items: 1 });
  }
  return out;
}

function cell(text: string, header: boolean): Table['rows'][number]['cells'][number] {
  const plain = clipText(text.replace(/\s+/g, ' '), 200);
  const shown = plain === '' ? '—' : header ? boldTeamsMarkdown(plain) : escapeTeamsMarkdown(plain);
  return { type: 'TableCell', items: [{ type: 'TextBlock', text: shown, wrap: true, ...(header ? {} : { size: 'Small' as const }) }] };
}

/** Tables in parts of at most `TEAMS_LIMITS.tableRows` rows, each with the column heads, so a part reads on its own. */
function tableElements(columns: string[], rows: string[][]): CountedElement[] {
  const head = { type: 'TableRow' as const, cells: columns.map((c) => cell(c, true)) };
  const table = (body: string[][]): Table => ({
    type: 'Table',
    columns: columns.map(() => ({ width: 1 })),
    rows: [head, ...body.map((r) => ({ type: 'TableRow' as const, cells: columns.map((_, i) => cell(r[i] ?? '', false)) }))],
    firstRowAsHeader: true,
  });
  if (rows.length === 0) return [{ element: table([columns.map((_, i) => (i === 0 ? '(none)' : ''))]), rows: 0 }];
  const out: CountedElement[] = [];
  for (let i = 0; i < rows.length; i += TEAMS_LIMITS.tableRows) {
    const part = rows.slice(i, i + TEAMS_LIMITS.tableRows);
    out.push({ element: table(part), rows: part.length });
  }
  return out;
}

/** A button the bot answers: its action id is the verb, its value the data (data from people, carried as is). */
function execute(button: Button): CardAction[] {
  if (button.url) return [];
  const title = clipText(showControls(stripMarkup(button.label)), 60) || 'Go';
  const action: ExecuteAction = {
    type: 'Action.Execute',
    title,
    verb: button.actionId,
    data: { value: button.value ?? '' },
    ...(button.style === 'danger' ? { style: 'destructive' as const } : button.style === 'primary' ? { style: 'positive' as const } : {}),
  };
  if (!button.confirm) return [action];
  const { confirm } = button;
  return [
    {
      type: 'Action.ShowCard',
      title,
      ...(button.style === 'danger' ? { style: 'destructive' as const } : {}),
      card: {
        type: 'AdaptiveCard',
        body: [
          { type: 'TextBlock', text: boldTeamsMarkdown(stripMarkup(confirm.title)), wrap: true },
          { type: 'TextBlock', text: toTeamsMarkdown(clipText(confirm.text, 1_000)), wrap: true },
        ],
        actions: [{ ...action, title: clipText(showControls(stripMarkup(confirm.confirm)), 60) || title }],
      },
    },
  ];
}

function openUrl(button: Button): OpenUrlAction[] {
  if (!button.url || !/^https?:\/\//.test(button.url)) return [];
  return [{ type: 'Action.OpenUrl', title: clipText(showControls(stripMarkup(button.label)), 60) || 'Open', url: button.url }];
}
