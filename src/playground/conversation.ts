/** The playground's conversation: every message the bot posted, edited or answered with, in order. */

/** One message as the page shows it. */
export interface PlaygroundMessage {
  id: string;
  channel: string;
  /** The channel as shown: `#playground`, or the configured role (`#alerts (C0ALERTS)`). */
  channelLabel: string;
  ts: string;
  /** The message this one replies to in a thread. */
  parentId?: string;
  from: 'bot' | 'you';
  ephemeral: boolean;
  edited: boolean;
  deleted: boolean;
  text: string;
  blocks: unknown[];
}

/** What a reply to a `response_url` is tied to: the channel, and the message a button was pressed on. */
export interface ResponseTarget {
  channel: string;
  originId?: string;
}

type Listener = (message: PlaygroundMessage) => void;

/** The most messages kept: a playground left running for days (alerts every minute) stays small. */
export const MAX_MESSAGES = 1_000;

/** The messages of the playground and who is watching them. */
export class Conversation {
  private readonly messages: PlaygroundMessage[] = [];
  private readonly listeners = new Set<Listener>();
  private counter = 0;

  constructor(private readonly labelOf: (channel: string) => string) {}

  /** Every message so far, oldest first. */
  all(): readonly PlaygroundMessage[] {
    return this.messages;
  }

  /** Calls `listener` with each new or changed message until the returned function is called. */
  watch(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): PlaygroundMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** The message at `ts` in `channel` (what `chat.update` and `thread_ts` name). */
  at(channel: string, ts: string): PlaygroundMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  /** Records what the person typed. */
  typed(channel: string, text: string): PlaygroundMessage {
    return this.add({ channel, from: 'you', text, blocks: [], ephemeral: false });
  }

  /** A new message of the bot (`chat.postMessage`, `chat.postEphemeral`, a reply to a `response_url`). */
  post(channel: string, body: Record<string, unknown>, ephemeral: boolean): PlaygroundMessage {
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const parent = threadTs ? this.at(channel, threadTs) : undefined;
    return this.add({ channel, from: 'bot', ephemeral, ...content(body), ...(parent ? { parentId: parent.id } : {}) });
  }

  /** Replaces a message's content (`chat.update`, `replace_original`); false when there is none such. */
  update(id: string, body: Record<string, unknown>): boolean {
    const message = this.get(id);
    if (!message || message.deleted) return false;
    Object.assign(message, content(body), { edited: true });
    this.emit(message);
    return true;
  }

  /** Removes a message (`delete_original`). */
  remove(id: string): void {
    const message = this.get(id);
    if (!message) return;
    message.deleted = true;
    this.emit(message);
  }

  /** Applies a reply to a `response_url` as Slack does: replace or delete the original, or a new message. */
  respond(target: ResponseTarget, body: Record<string, unknown>): void {
    if (target.originId && body.delete_original === true) return this.remove(target.originId);
    if (target.originId && body.replace_original === true && this.update(target.originId, body)) return;
    this.post(target.channel, body, body.response_type !== 'in_channel');
  }

  private add(fields: Pick<PlaygroundMessage, 'channel' | 'from' | 'text' | 'blocks' | 'ephemeral'> & { parentId?: string }): PlaygroundMessage {
    this.counter += 1;
    // Slack's ts: seconds and a sequence, unique in a channel and ordered.
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
    const message: PlaygroundMessage = { id: `m${this.counter}`, ts, channelLabel: this.labelOf(fields.channel), edited: false, deleted: false, ...fields };
    this.messages.push(message);
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    this.emit(message);
    return message;
  }

  private emit(message: PlaygroundMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

function content(body: Record<string, unknown>): { text: string; blocks: unknown[] } {
  return { text: typeof body.text === 'string' ? body.text : '', blocks: Array.isArray(body.blocks) ? body.blocks : [] };
}
