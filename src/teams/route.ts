/** `POST /api/messages`: Teams' activities, authenticated by the SDK's JWT check, then handed to the adapter. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudAdapter, Request as AgentRequest, TurnContext, WebResponse } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { HttpRoute } from '../metrics/server.js';
import { newRequestId, withLogContext } from '../lib/logger.js';
import type { RefusedRequests } from '../metrics/refused-requests.js';

/** Where Teams posts activities; the Azure Bot's messaging endpoint is the bot's URL with this path. */
export const TEAMS_MESSAGES_PATH = '/api/messages';

/** Bot Framework activities are small; a larger body is refused before it is parsed. */
const MAX_BODY_BYTES = 256 * 1024;
/** How long the whole body may take to arrive. */
const BODY_DEADLINE_MS = 10_000;

export interface TeamsRouteDeps {
  adapter: CloudAdapter;
  onTurn: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** Refusals are counted and summed up in one line per interval: a flood of forged requests is not a flood of lines. */
  refused: RefusedRequests;
}

/** The route the bot's HTTP server mounts for Teams. */
export function teamsMessagesRoute(deps: TeamsRouteDeps): HttpRoute {
  return {
    path: TEAMS_MESSAGES_PATH,
    method: 'POST',
    handler: (req, res) => {
      void withLogContext({ requestId: newRequestId() }, () => handle(deps, req, res));
    },
  };
}

async function handle({ adapter, onTurn, logger, refused }: TeamsRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = webResponse(res);
  let body: Record<string, unknown>;
  try {
    body = await readJson(req);
  } catch {
    refused.count('malformed');
    if (!res.headersSent) reply.status(400).send({ error: 'the body is not a JSON activity' }).end();
    return;
  }
  const request: AgentRequest = { method: req.method ?? 'POST', headers: req.headers as AgentRequest['headers'], body };
  let authorized = false;
  try {
    await adapter.authorizeRequest(request, reply, () => {
      authorized = true;
    });
  } catch (error) {
    logger.error({ err: error }, 'Teams request: the token check failed');
    if (!res.headersSent) reply.status(500).end();
    return;
  }
  if (!authorized) {
    // The SDK has answered 401 (405 for a method) with its reason; nothing of the activity runs.
    refused.count('bad_token');
    if (!res.writableEnded) res.end();
    return;
  }
  try {
    await adapter.process(request, reply, onTurn);
  } catch (error) {
    logger.error({ err: error }, 'Teams activity failed');
    if (!res.headersSent) reply.status(500).end();
    else if (!res.writableEnded) res.end();
  }
}

/** The SDK's response interface over Node's. */
function webResponse(res: ServerResponse): WebResponse {
  const out: WebResponse = {
    status(code) {
      res.statusCode = code;
      return out;
    },
    setHeader(name, value) {
      res.setHeader(name, value);
      return out;
    },
    send(body) {
      if (body === undefined || body === null) return out;
      if (typeof body === 'string' || Buffer.isBuffer(body)) res.write(body);
      else {
        if (!res.headersSent && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
        res.write(JSON.stringify(body));
      }
      return out;
    },
    end() {
      if (!res.writableEnded) res.end();
      return out;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return out;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => fail(new Error('the body did not arrive in time')), BODY_DEADLINE_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) fail(new Error('the body is too large'));
      else chunks.push(chunk);
    });
    req.on('error', (error) => fail(error));
    req.on('end', () => {
      clearTimeout(timer);
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
        resolve(parsed as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
