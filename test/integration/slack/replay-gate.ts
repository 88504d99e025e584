// A pass-through proxy in front of moto that counts object writes and can hold them: a test closes
// it to keep a test upload running for as long as it needs (a burst of requests all arrive while
// the first upload is still writing), then opens it.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WriteGate {
  url: string;
  /** Object writes (PUT of a key) that went through so far. */
  readonly puts: number;
  /** Object writes waiting for `open`. */
  readonly held: number;
  /** Holds every object write from now on. */
  close(): void;
  /** Lets the held writes and the ones after through. */
  open(): void;
  stop(): Promise<void>;
}

/** Starts the gate in front of `motoUrl`, open. */
export async function startWriteGate(motoUrl: string): Promise<WriteGate> {
  const target = new URL(motoUrl);
  let closed = false;
  let puts = 0;
  let waiting: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const objectWrite = req.method === 'PUT' && path.replace(/^\//, '').includes('/');
    if (!objectWrite) return forward(req, res);
    const pass = () => {
      puts += 1;
      forward(req, res);
    };
    if (closed) waiting.push(pass);
    else pass();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get puts() {
      return puts;
    },
    get held() {
      return waiting.length;
    },
    close() {
      closed = true;
    },
    open() {
      closed = false;
      const go = waiting;
      waiting = [];
      for (const pass of go) pass();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
