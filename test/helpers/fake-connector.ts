/**
 * A local stand-in for the Bot Connector at an activity's `serviceUrl`: records every activity the
 * bot sends (replies, new messages, edits) with its method, path and bearer token, and answers
 * with an id as the connector does.
 */
import { createServer, type Server } from 'node:http';
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
}

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private port = 0;
  private next = 1;

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
        this.calls.push({
          method: req.method ?? '',
          path: req.url ?? '',
          conversationId: decodeURIComponent(match[1]!),
          ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          activity,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.next++}` }));
      });
    });
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
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
