/**
 * The part of the Adaptive Card 1.5 schema the Teams renderer writes
 * (https://adaptivecards.io/explorer/): enough to type what we build, nothing more.
 */

export type TextSize = 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: TextSize;
  weight?: 'Bolder';
  isSubtle?: boolean;
  fontType?: 'Monospace';
  style?: 'heading';
  color?: 'Good' | 'Warning' | 'Attention' | 'Accent';
  spacing?: Spacing;
  separator?: boolean;
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  spacing?: Spacing;
  separator?: boolean;
}

export interface TableCell {
  type: 'TableCell';
  items: TextBlock[];
}

export interface Table {
  type: 'Table';
  columns: { width: number }[];
  rows: { type: 'TableRow'; cells: TableCell[] }[];
  firstRowAsHeader: true;
  gridStyle?: 'default';
  spacing?: Spacing;
  separator?: boolean;
}

export type CardElement = TextBlock | FactSet | Container | Table;

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** A Universal Action: Teams sends it to the bot as an `adaptiveCard/action` invoke with this verb and data. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: { value: string };
  style?: 'positive' | 'destructive';
}

/** A button that opens a card under it: the confirmation before a destructive Action.Execute. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  style?: 'destructive';
  card: { type: 'AdaptiveCard'; body: TextBlock[]; actions: ExecuteAction[] };
}

export type CardAction = OpenUrlAction | ExecuteAction | ShowCardAction;

/** An Adaptive Card as Teams takes it; `msteams.width: Full` lets tables use the channel's width. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  fallbackText: string;
  body: CardElement[];
  actions?: CardAction[];
  msteams: { width: 'Full' };
}

/** The body a Teams Workflows webhook takes: a `message` with the card as its one attachment. */
export interface TeamsWebhookBody {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}
