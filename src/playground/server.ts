/**
 * The playground's HTTP server on 127.0.0.1: the chat page, its event stream, what the person
 * types and presses (turned into the signed requests Slack would send the app), and the local
 * Slack Web API the app posts to.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/logger.js';
import { Conversation, type PlaygroundMessage, type ResponseTarget } from './conversation.js';
import { readBody, sendJson } from './http.js';
import { blockActionsBody, PLAYGROUND_CHANNEL, postToApp, slashCommandBody, type Press } from './slack-requests.js';
import { parseSlackBody, SlackStandIn } from './slack-standin.js';

const PAGE_DIR = new URL('./page/', import.meta.url);
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};
// The page runs only its own script and talks only to this server, whatever a message holds.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface PlaygroundServerOptions {
  /** The port on 127.0.0.1 (0 picks a free one). */
  port: number;
  botToken: string;
  signingSecret: string;
  /** Names for configured channels, shown next to their messages. */
  channelNames: Record<string, string>;
  /** One line the page shows about the playground (who you are, what you may do). */
  about: string;
  logger: Logger;
}

/** A running playground server. */
export interface PlaygroundServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The base URL of the local Slack Web API, for the app's clients. */
  apiUrl: string;
  conversation: Conversation;
  /** Where typed commands and presses go: the app's `/slack/events`; set once the app is listening. */
  connect(eventsUrl: string): void;
  stop(): Promise<void>;
}

/** Starts the playground's server; the app is connected to it once it listens. */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const { logger } = options;
  const conversation = new Conversation((channel) => (channel === PLAYGROUND_CHANNEL.id ? `#${PLAYGROUND_CHANNEL.name}` : options.channelNames[channel] ? `#${options.channelNames[channel]} (${channel})` : channel));
  let port = 0;
  let eventsUrl: string | undefined;
  const baseUrl = () => `http://127.0.0.1:${port}`;
  const slack = new SlackStandIn(conversation, { botToken: options.botToken, baseUrl, logger });
  const streams = new Set<ServerResponse>();

  /** Sends a signed request to the app; its acknowledgement, when it carries a message, is the answer. */
  const deliver = async (body: string, target: ResponseTarget, what: string): Promise<void> => {
    if (!eventsUrl) throw new Error('the bot is not listening yet');
    try {
      const ack = await postToApp(eventsUrl, body, options.signingSecret);
      if (ack.status !== 200) {
        logger.warn({ status: ack.status, what }, 'the bot refused a playground request');
        conversation.respond(target, { text: `The bot answered ${what} with HTTP ${ack.status}; see its log.` });
      } else if (ack.text.trim() !== '') {
        const answer = parseSlackBody(ack.text, ack.text.startsWith('{') ? 'application/json' : undefined);
        conversation.respond(target, Object.keys(answer).length > 0 ? answer : { text: ack.text });
      }
    } catch (error) {
      logger.warn({ err: error, what }, 'the bot did not acknowledge a playground request');
      conversation.respond(target, { text: `The bot did not acknowledge ${what}: ${(error as Error).message}` });
    }
  };

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // Only this machine's own names: a web page elsewhere cannot reach the server through DNS rebinding.
    if (!allowedHost(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('this playground answers only on 127.0.0.1 and localhost');
      return;
    }
    if (await slack.handle(req, res, path)) return;
    const page = STATIC[path];
    if (page && req.method === 'GET') {
      res.writeHead(200, { 'content-type': page.type, ...PAGE_HEADERS });
      res.end(await readFile(new URL(page.file, PAGE_DIR)));
      return;
    }
    if (path === '/events' && req.method === 'GET') return openStream(res);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if ((path === '/command' || path === '/action') && req.method === 'POST') {
      // Another site's page could post here from the person's browser: only this page's own JSON is taken.
      if (!req.headers['content-type']?.startsWith('application/json') || !sameOrigin(req.headers.origin, port)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('only the playground page may send commands');
        return;
      }
      const input = parseJson(await readBody(req));
      if (path === '/command') return command(input, res);
      return press(input, res);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };

  const command = async (input: Record<string, unknown>, res: ServerResponse): Promise<void> => {
    const typed = typeof input.text === 'string' ? input.text.trim() : '';
    if (typed === '') return sendJson(res, 400, { ok: false, error: 'type a command, e.g. /s3 status' });
    // The page sends what was typed; `/s3` in front is the command itself, not its text.
    const text = typed.replace(/^\/s3\b\s*/, '');
    conversation.typed(PLAYGROUND_CHANNEL.id, `/s3 ${text}`.trim());
    const target: ResponseTarget = { channel: PLAYGROUND_CHANNEL.id };
    sendJson(res, 202, { ok: true });
    await deliver(slashCommandBody(text, slack.responseUrl(target)), target, `/s3 ${text}`.trim());
  };

  const press = async (input: Record<string, unknown>, res: ServerResponse): Promise<void> => {
    const message = typeof input.messageId === 'string' ? conversation.get(input.messageId) : undefined;
    if (!message || message.deleted || typeof input.actionId !== 'string') return sendJson(res, 400, { ok: false, error: 'that message is gone' });
    const pressed: Press = {
      actionId: input.actionId,
      blockId: typeof input.blockId === 'string' ? input.blockId : '',
      text: typeof input.text === 'string' ? input.text : input.actionId,
      ...(typeof input.value === 'string' ? { value: input.value } : {}),
    };
    const target: ResponseTarget = { channel: message.channel, originId: message.id };
    sendJson(res, 202, { ok: true });
    await deliver(blockActionsBody(message, pressed, slack.responseUrl(target)), target, `the ${pressed.text} button`);
  };

  const openStream = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(event('hello', { about: options.about }));
    for (const message of conversation.all()) res.write(event('message', message));
    streams.add(res);
    res.on('close', () => streams.delete(res));
  };
  conversation.watch((message: PlaygroundMessage) => {
    for (const stream of streams) stream.write(event('message', message));
  });

  const server: Server = createServer((req, res) => {
    routes(req, res).catch((error: unknown) => {
      logger.warn({ err: error, path: req.url }, 'the playground could not answer a request');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('the playground could not answer this request; see its log');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: baseUrl(),
    apiUrl: `${baseUrl()}/api/`,
    conversation,
    connect(url: string) {
      eventsUrl = url;
    },
    async stop() {
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A browser names the page's origin; a request without one (curl, the app) is not from another site's page. */
function sameOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
