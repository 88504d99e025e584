/** The Slack Web API and `response_url`s as the playground answers them: the bot's messages go to the page. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../lib/logger.js';
import type { Conversation, ResponseTarget } from './conversation.js';
import { readBody, sendJson } from './http.js';

/** Who the bot is in the playground (what `auth.test` answers). */
export const PLAYGROUND_IDENTITY = { team: 'Playground', team_id: 'T0PLAYGROUND', user: 's3-chatops', user_id: 'U0S3CHATOPS', bot_id: 'B0S3CHATOPS' } as const;

/** A local stand-in for Slack: `/api/<method>` and `/respond/<id>` on the playground's own server. */
export class SlackStandIn {
  private readonly targets = new Map<string, ResponseTarget>();

  constructor(
    private readonly conversation: Conversation,
    private readonly options: { botToken: string; baseUrl: () => string; logger: Logger },
  ) {}

  /** A fresh `response_url` whose replies go to `target`. */
  responseUrl(target: ResponseTarget): string {
    // Unguessable: only the bot, which was handed it, can answer through it.
    const id = randomUUID();
    this.targets.set(id, target);
    return `${this.options.baseUrl()}/respond/${id}`;
  }

  /** Handles the request when it is one of Slack's; false when the path is not. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const api = /^\/api\/([\w.]+)$/.exec(path);
    const respond = /^\/respond\/([\w-]+)$/.exec(path);
    if (!api && !respond) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
      return true;
    }
    const body = parseSlackBody(await readBody(req), req.headers['content-type']);
    if (respond) {
      const target = this.targets.get(respond[1]!);
      if (!target) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such response_url');
        return true;
      }
      this.conversation.respond(target, body);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return true;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof body.token === 'string' ? body.token : undefined);
    if (token !== this.options.botToken) {
      sendJson(res, 200, { ok: false, error: 'invalid_auth' });
      return true;
    }
    sendJson(res, 200, this.answer(api![1]!, body));
    return true;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? body.channel : '';
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `${this.options.baseUrl()}/`, ...PLAYGROUND_IDENTITY };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const message = this.conversation.post(channel, body, false);
        return { ok: true, channel, ts: message.ts, message: { ts: message.ts, text: message.text } };
      }
      case 'chat.postEphemeral': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: this.conversation.post(channel, body, true).ts };
      }
      case 'chat.update': {
        const found = typeof body.ts === 'string' ? this.conversation.at(channel, body.ts) : undefined;
        if (!found || !this.conversation.update(found.id, body)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, ts: found.ts };
      }
      case 'views.publish':
        // The App Home tab has no place on the page; it is accepted as Slack would.
        return { ok: true, view: { id: 'V0PLAYGROUND' } };
      default:
        this.options.logger.debug({ method }, 'the playground answered a Slack method it does not show');
        return { ok: true };
    }
  }
}

/** JSON bodies as they are; form bodies with their JSON-encoded fields (blocks, view) decoded, as Slack reads them. */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  try {
    if (contentType?.includes('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    }
    const body: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    return body;
  } catch {
    return {};
  }
}
