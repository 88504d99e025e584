import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** An HTTP route, shaped like Bolt's `CustomRoute` so the same routes mount on either. */
export interface HttpRoute {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** `GET /metrics`: the registry in Prometheus text format. */
export function metricsRoute(registry: Registry): HttpRoute {
  return {
    path: '/metrics',
    method: 'GET',
    handler: (_req, res) => {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
    },
  };
}

export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** More routes on the same server, e.g. the worker's `/healthz` and `/readyz`. */
  routes?: HttpRoute[];
}

/** A running metrics server. */
export interface MetricsServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (and `routes`) for a process without an HTTP server of its own, such as the worker. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const routes = [metricsRoute(options.registry), ...(options.routes ?? [])];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && [r.method].flat().some((m) => m.toUpperCase() === req.method));
    if (route) route.handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
