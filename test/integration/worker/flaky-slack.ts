// A front for the fake Slack that answers some Web API calls 429 + Retry-After and some 500,
// and forwards the rest; only forwarded calls reach (and are counted by) the fake.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakySlack {
  apiUrl: string;
  answered: { rateLimited: number; serverError: number };
  stop(): Promise<void>;
}

/** Every `rateLimitEvery`-th call gets 429 (Retry-After 1 s) and every `errorEvery`-th a 500. */
export async function startFlakySlack(targetApiUrl: string, options: { rateLimitEvery: number; errorEvery: number }): Promise<FlakySlack> {
  let n = 0;
  const answered = { rateLimited: 0, serverError: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      n += 1;
      const method = (req.url ?? '').replace(/^\/api\//, '');
      if (method.startsWith('chat.') && n % options.rateLimitEvery === 0) {
        answered.rateLimited += 1;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      if (method.startsWith('chat.') && n % options.errorEvery === 0) {
        answered.serverError += 1;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      }
      fetch(`${targetApiUrl}${method}`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded', authorization: req.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      })
        .then(async (r) => res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(await r.text()))
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    answered,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
