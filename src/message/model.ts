/**
 * The platform-free message model. Reports and actions return a `Message`; one renderer per
 * surface (Block Kit, plain text, later Adaptive Cards) turns it into what that surface shows.
 *
 * Inline text uses a small neutral markup that every renderer understands:
 *   **bold**, _italic_, `code`, [label](https://url)
 * Anything else is literal text; renderers escape it for their surface. A value that comes from
 * data or people goes in through `lit()` or `code()` (message/markup.ts), never as it is, so
 * nothing it holds can become markup.
 */

/** How serious a finding or a line is; renderers map it to an icon or colour. */
export type Severity = 'ok' | 'info' | 'warning' | 'critical';

/** A label and its value, shown side by side (Slack section fields, a Teams FactSet). */
export interface Field {
  label: string;
  value: string;
}

/** A button. `actionId` routes the press; `value` carries its arguments (at most 2,000 chars). */
export interface Button {
  actionId: string;
  label: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
  /** A confirmation dialog shown before the action runs. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export type Block =
  | { kind: 'header'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'context'; text: string }
  | { kind: 'divider' }
  | { kind: 'list'; title?: string; items: ListItem[] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'actions'; buttons: Button[] };

/** One line of a list: hygiene findings, alerts, buckets in a fleet overview. */
export interface ListItem {
  severity?: Severity;
  text: string;
  /** A second, quieter line: why it matters, how to fix it. */
  detail?: string;
}

export interface Message {
  /** One line that stands for the whole message: notification text, fallback, terminal title. */
  summary: string;
  blocks: Block[];
  /** Shown only to the person who asked (slash command answers about bad input). */
  ephemeral?: boolean;
}

/** A message that also carries the data behind it, for `--json` on the command line. */
export interface Report<T = unknown> {
  message: Message;
  /** Follow-up messages that belong in the thread of `message` (a large digest's per-bucket detail). */
  thread?: Message[];
  data: T;
}
