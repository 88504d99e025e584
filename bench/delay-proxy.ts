import http from 'node:http';

/**
 * A proxy in front of moto that adds a fixed delay to every request, as a real region's round trip
 * would (moto alone answers one request at a time in microseconds and hides what concurrency buys).
 * With `serial`, it also lets one request through at a time: the same calls made one after another.
 */
export interface DelayProxy {
  url: string;
  /** Requests received since the start (or the last `resetCounts`). */
  requests: number;
  /** The most requests held or forwarded at the same moment since the last `resetCounts`. */
  maxInFlight: number;
  /** Requests per `METHOD path?query`, since the last `resetCounts`. */
  byRoute: Map<string, number>;
  serial: boolean;
  resetCounts(): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port. */
export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const upstream = new URL(target);
  let queue: Promise<void> = Promise.resolve();
  let inFlight = 0;
  const proxy: DelayProxy = {
    url: '',
    requests: 0,
    maxInFlight: 0,
    byRoute: new Map(),
    serial: false,
    resetCounts() {
      proxy.requests = 0;
      proxy.maxInFlight = 0;
      proxy.byRoute.clear();
    },
    close: async () => {},
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) =>
    new Promise<void>((resolve) => {
      setTimeout(() => {
        const out = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', resolve);
            answer.on('error', () => resolve());
          },
        );
        out.on('error', () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
          resolve();
        });
        req.pipe(out);
      }, delayMs);
    });

  const track = (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    inFlight += 1;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    return forward(req, res).finally(() => {
      inFlight -= 1;
    });
  };

  const server = http.createServer((req, res) => {
    proxy.requests += 1;
    const route = `${req.method} ${(req.url ?? '/').slice(0, 160)}`;
    proxy.byRoute.set(route, (proxy.byRoute.get(route) ?? 0) + 1);
    if (!proxy.serial) {
      void track(req, res);
      return;
    }
    queue = queue.then(() => track(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      // Clients keep connections alive; close them so the server can stop.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
