/**
 * A local stand-in for the Bot Connector at an activity's `serviceUrl`: records every activity the
 * bot sends (replies, new messages, edits) with its method, path and bearer token, and answers
 * with an id as the connector does; or, as planned by a test, with an error or not at all.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Connections } from '@microsoft/agents-hosting';
import { closeServer, listenLocal } from './local-server.js';

export interface ConnectorCall {
  method: string;
  /** e.g. `/v3/conversations/19%3Aabc/activities/1700000000` */
  path: string;
  conversationId: string;
  /** The activity replied to or edited, when the path names one. */
  activityId?: string;
  authorization?: string;
  activity: { type?: string; text?: string; replyToId?: string; attachments?: { contentType?: string; content?: unknown }[] };
  /** What the fake answered: a status, and the id of the activity it took (2xx only); `stalled` when it never answered. */
  status: number | 'stalled';
  answeredId?: string;
}

/** An answer a test plans for the next call: an error status (with Retry-After), or no answer at all. */
export type PlannedAnswer = { status: number; retryAfterSeconds?: number } | 'stall';

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private port = 0;
  private next = 1;
  private readonly planned: PlannedAnswer[] = [];
  private readonly held: ServerResponse[] = [];

  /** The calls that follow get these answers, in order, before it answers normally again. */
  answerNext(...answers: PlannedAnswer[]): void {
    this.planned.push(...answers);
  }

  /** The calls the connector took (answered 2xx): what Teams would show. */
  get accepted(): ConnectorCall[] {
    return this.calls.filter((c) => typeof c.status === 'number' && c.status < 300);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          res.writeHead(404).end();
          return;
        }
        let activity: ConnectorCall['activity'] = {};
        try {
          activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConnectorCall['activity'];
        } catch {
          // recorded empty
        }
        const call: ConnectorCall = {
          method: req.method ?? '',
          path: req.url ?? '',
          conversationId: decodeURIComponent(match[1]!),
          ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          activity,
          status: 200,
        };
        this.calls.push(call);
        const plan = this.planned.shift();
        if (plan === 'stall') {
          call.status = 'stalled';
          this.held.push(res);
          return;
        }
        if (plan) {
          call.status = plan.status;
          res.writeHead(plan.status, { 'content-type': 'application/json', ...(plan.retryAfterSeconds !== undefined ? { 'retry-after': String(plan.retryAfterSeconds) } : {}) });
          res.end(JSON.stringify({ error: { code: plan.status === 404 ? 'ConversationNotFound' : plan.status === 403 ? 'BotNotInConversationRoster' : 'ServiceError', message: 'planned by the test' } }));
          return;
        }
        call.answeredId = `sent-${this.next++}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: call.answeredId }));
      });
    });
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    if (this.server) await closeServer(this.server);
  }

  /** The `serviceUrl` activities carry. */
  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Waits until `count` calls have arrived (or the time is up), then returns them all. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ConnectorCall[]> {
    const until = Date.now() + timeoutMs;
    while (this.calls.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.calls;
  }
}

/** The bearer token the bot's outbound calls carry in tests. */
export const CONNECTOR_TOKEN = 'connector-token-for-tests';

/**
 * Outbound tokens in tests: MSAL would ask Entra for one over HTTPS; here the token provider hands
 * out a fixed token, which the fake connector records so a test can check it was sent.
 */
export function testConnections(): Connections {
  const provider = {
    getAccessToken: async () => CONNECTOR_TOKEN,
    getAgenticApplicationToken: async () => CONNECTOR_TOKEN,
    getAgenticInstanceToken: async () => CONNECTOR_TOKEN,
    getAgenticUserToken: async () => CONNECTOR_TOKEN,
    acquireTokenOnBehalfOf: async () => CONNECTOR_TOKEN,
  };
  return {
    getConnection: () => provider,
    getDefaultConnection: () => provider,
    getTokenProvider: () => provider,
    getTokenProviderFromActivity: () => provider,
    getDefaultConnectionConfiguration: () => ({}),
  } as unknown as Connections;
}
