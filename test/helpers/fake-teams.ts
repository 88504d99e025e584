/**
 * A local stand-in for a Teams Workflows webhook: records every POST as it arrives and again as it
 * is answered, answers 202 like Teams, and can be told to answer a script first (429 with
 * Retry-After, 500…) or to hold every request unanswered until released (an outage that neither
 * fails nor answers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocal } from './local-server.js';

export interface FakeTeamsAnswer {
  status: number;
  retryAfterSeconds?: number;
  body?: string;
}

export interface ReceivedCard {
  body: { type?: string; attachments?: { contentType?: string; content?: unknown }[] };
  status: number;
  /** When it was answered. */
  at: number;
  /** When it arrived (earlier than `at` while held). */
  arrivedAt: number;
  url: string;
}

/** A POST as it arrived, before any hold or answer. */
export interface ArrivedRequest {
  at: number;
  url: string;
}

export class FakeTeams {
  /** Every POST that was answered, with the status it was answered. */
  readonly received: ReceivedCard[] = [];
  /** Every POST on arrival, answered or still held. */
  readonly arrived: ArrivedRequest[] = [];
  private script: FakeTeamsAnswer[] = [];
  private held: (() => void)[] | null = null;
  private server?: Server;
  private port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    if (!this.server) return;
    await closeServer(this.server);
  }

  /** A URL shaped like a Workflows webhook, with `sig` as its secret. */
  url(sig: string): string {
    return `http://127.0.0.1:${this.port}/workflows/4f1d2c9e/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
  }

  /** Answers these, in order, before answering 202 again. */
  answerNext(...answers: FakeTeamsAnswer[]): void {
    this.script.push(...answers);
  }

  /** Holds every request unanswered until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }

  /** The cards Teams accepted (2xx). */
  get accepted(): ReceivedCard[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const arrivedAt = Date.now();
    this.arrived.push({ at: arrivedAt, url: req.url ?? '' });
    if (this.held) await new Promise<void>((go) => this.held!.push(go));
    const answer = this.script.shift() ?? { status: 202 };
    let body: ReceivedCard['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString()) as ReceivedCard['body'];
    } catch {
      // recorded as empty: the test sees a card it cannot read
    }
    this.received.push({ body, status: answer.status, at: Date.now(), arrivedAt, url: req.url ?? '' });
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.retryAfterSeconds !== undefined ? { 'retry-after': String(answer.retryAfterSeconds) } : {}) });
    res.end(answer.body ?? (answer.status === 202 ? '' : `status ${answer.status}`));
  }
}

/** `alert@version` of an alert card: its context line names the alert and the change. */
export function alertCardKey(card: Pick<ReceivedCard, 'body'>): string {
  const json = JSON.stringify(card.body);
  const m = /Alert (\S+?) (?:since [^·]*)?· change (\d+)/.exec(json);
  return m ? `${m[1]}@${m[2]}` : `unreadable card ${json.slice(0, 200)}`;
}

export function startFakeTeams(): Promise<FakeTeams> {
  return new FakeTeams().start();
}
