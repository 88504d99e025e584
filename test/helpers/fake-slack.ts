import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocal } from './local-server.js';

/** One request the fake received: a Web API method or a `response_url` post. */
export interface RecordedCall {
  /** `auth.test`, `chat.postMessage`, … or `respond` for a `response_url`. */
  method: string;
  path: string;
  /** For `respond`, the id in `/respond/<id>`. */
  responseId?: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  at: number;
}

type Override = { kind: 'error'; error: string; times: number } | { kind: 'rateLimited'; retryAfterSeconds: number; times: number };

const DEFAULT_ANSWERS: Record<string, () => Record<string, unknown>> = {
  'auth.test': () => ({ ok: true, url: 'https://example.slack.com/', team: 'Example', user: 's3bot', team_id: 'T0001', user_id: 'U0BOT', bot_id: 'B0BOT' }),
  'chat.postMessage': () => ({ ok: true, channel: 'C2147483705', ts: `${Date.now() / 1000}`, message: {} }),
  'chat.update': () => ({ ok: true, channel: 'C2147483705', ts: `${Date.now() / 1000}` }),
  'chat.postEphemeral': () => ({ ok: true, message_ts: `${Date.now() / 1000}` }),
  'views.publish': () => ({ ok: true, view: { id: 'V0HOME' } }),
};

/**
 * A local stand-in for Slack: the Web API under `/api/<method>` and `response_url`s under
 * `/respond/<id>`. It records every call and can be told to fail a method.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  private readonly overrides = new Map<string, Override>();
  private readonly waiters = new Set<() => void>();
  /** Methods whose requests are taken and never answered, as behind a black-holing network. */
  private readonly stalled = new Set<string>();
  private server?: Server;
  private port = 0;
  private nextResponseId = 1;

  /** Starts listening on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.stalled.clear();
    await closeServer(this.server);
    this.server = undefined;
  }

  /** The base URL to give Bolt as `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh `response_url`; its posts are recorded as method `respond` with this id. */
  responseUrl(id = `r${this.nextResponseId++}`): { id: string; url: string } {
    return { id, url: `http://127.0.0.1:${this.port}/respond/${id}` };
  }

  /** Answers `method` with `{ ok: false, error }` the next `times` calls. */
  failWith(method: string, error: string, times = Number.POSITIVE_INFINITY): void {
    this.overrides.set(method, { kind: 'error', error, times });
  }

  /** Answers `method` with 429 and `Retry-After` the next `times` calls. */
  rateLimit(method: string, retryAfterSeconds: number, times = 1): void {
    this.overrides.set(method, { kind: 'rateLimited', retryAfterSeconds, times });
  }

  /**
   * Takes every request to `method` (`respond` for `response_url` posts) and never answers it,
   * until `resume(method)`; the requests taken meanwhile stay unanswered (until the client gives up or `stop`).
   */
  stall(method: string): void {
    this.stalled.add(method);
  }

  /** Ends a stall: later requests to `method` are answered again. */
  resume(method: string): void {
    this.stalled.delete(method);
  }

  /** Calls of one method (`respond` for `response_url` posts). */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Posts to one `response_url`. */
  responsesTo(id: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'respond' && c.responseId === id);
  }

  /** Forgets the calls recorded so far, and ends every stall and override. */
  reset(): void {
    this.calls.length = 0;
    this.overrides.clear();
    this.stalled.clear();
  }

  /** Resolves with the first recorded call matching `predicate`, or rejects after `timeoutMs`. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5_000): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.calls.find(predicate);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: no matching call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.path).join(', ') || 'none'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      if (!check()) this.waiters.add(check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const api = /^\/api\/([\w.]+)$/.exec(path);
    const respondTo = /^\/respond\/([\w-]+)$/.exec(path);
    if (!api && !respondTo) {
      res.writeHead(404).end();
      return;
    }
    const method = api ? api[1]! : 'respond';
    const call: RecordedCall = { method, path, body: parseBody(raw, req.headers['content-type']), headers: req.headers, at: Date.now() };
    if (respondTo) call.responseId = respondTo[1];
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter();

    if (this.stalled.has(method)) return;

    const override = this.overrides.get(method);
    if (override && override.times > 0) {
      override.times -= 1;
      if (override.kind === 'rateLimited') {
        res.writeHead(429, { 'retry-after': String(override.retryAfterSeconds), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else {
        json(res, 200, { ok: false, error: override.error });
      }
      return;
    }
    if (respondTo) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const answer = DEFAULT_ANSWERS[method];
    json(res, 200, answer ? answer() : { ok: true });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON bodies as they are; form bodies with their JSON-encoded fields (blocks, view) decoded. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return body;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts a fake Slack on a free port. */
export function startFakeSlack(): Promise<FakeSlack> {
  return new FakeSlack().start();
}
