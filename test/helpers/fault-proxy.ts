import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does with a request, switchable while it runs:
 * - `pass`: forwards it;
 * - `slow`: forwards it after `delayMs` (a real region's round trip; moto answers in microseconds);
 * - `stall`: accepts it and never answers (the connection stays open until the client gives up);
 * - `hold`: keeps it until `release()`, then forwards it (a test knows a computation is running);
 * - `reset`: destroys the socket without an answer;
 * - `slow-down`: S3's `503 SlowDown` with its XML error body;
 * - `throttling`: CloudWatch's and Cost Explorer's `400 Throttling` in their AWS JSON error form.
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'stall' }
  | { kind: 'hold' }
  | { kind: 'reset' }
  | { kind: 'slow-down' }
  | { kind: 'throttling' };

/** The AWS signing names (`s3`, `monitoring` for CloudWatch, `ce` for Cost Explorer), read from each request's SigV4 scope. */
export type SigningService = 's3' | 'monitoring' | 'ce';

/**
 * An HTTP proxy in front of moto or the fake Slack whose behaviour a test switches at run time:
 * a fault for every request, or only for the AWS services named. It counts what it sees, and
 * with `serial` lets one request through at a time (the same calls made one after another).
 */
export class FaultProxy {
  private server?: Server;
  private mode: FaultMode = { kind: 'pass' };
  private only?: ReadonlySet<SigningService>;
  private route?: RegExp;
  private readonly held: Array<() => void> = [];
  private readonly onHeld = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private queue: Promise<void> = Promise.resolve();
  private inFlight = 0;
  /** Requests received since the start (never reset). */
  received = 0;
  /** Requests received since the last `resetCounts`. */
  requests = 0;
  /** The most requests in the proxy at the same moment since the last `resetCounts`. */
  maxInFlight = 0;
  /** Requests per `METHOD path?query` since the last `resetCounts`. */
  readonly byRoute = new Map<string, number>();
  /** Requests that met a fault (not `pass`) since the last `resetCounts`. */
  faulted = 0;
  /** Forward one request at a time. */
  serial = false;

  constructor(private readonly target: string) {}

  /** Starts on a free loopback port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /**
   * From now on, treats requests as `mode` says; with `only`, just those of the AWS services named,
   * and with `route`, just those whose `METHOD path?query` it matches (the rest pass).
   */
  set(mode: FaultMode, only?: readonly SigningService[], route?: RegExp): void {
    this.mode = mode;
    this.only = only ? new Set(only) : undefined;
    this.route = route;
    if (mode.kind !== 'hold') this.releaseHeld();
  }

  /** The mode requests meet now. */
  get current(): FaultMode {
    return this.mode;
  }

  /** From now on, requests wait until `release()`. */
  hold(): void {
    this.set({ kind: 'hold' });
  }

  /** Lets the held requests through and passes everything from now on. */
  release(): void {
    this.set({ kind: 'pass' });
  }

  /** Resolves once at least one request is being held. */
  whenHolding(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        this.onHeld.delete(check);
        resolve();
      };
      this.onHeld.add(check);
    });
  }

  get heldCount(): number {
    return this.held.length;
  }

  resetCounts(): void {
    this.requests = 0;
    this.maxInFlight = 0;
    this.faulted = 0;
    this.byRoute.clear();
  }

  /** Closes every connection (stalled ones too) and stops listening. */
  async stop(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private releaseHeld(): void {
    for (const forward of this.held.splice(0)) forward();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.received += 1;
    this.requests += 1;
    const route = `${req.method} ${(req.url ?? '/').slice(0, 160)}`;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const mode = this.appliesTo(req) ? this.mode : ({ kind: 'pass' } as const);
      if (mode.kind !== 'pass') this.faulted += 1;
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => (this.inFlight -= 1));
      switch (mode.kind) {
        case 'stall':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'slow-down':
          res.writeHead(503, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>');
          return;
        case 'throttling':
          res.writeHead(400, {
            'content-type': signingService(req) === 'ce' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
            'x-amzn-query-error': 'Throttling;Sender',
            'x-amzn-requestid': 'FAULTPROXY',
          });
          res.end(JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' }));
          return;
        case 'hold':
          this.held.push(() => this.forward(req, res, body));
          for (const notify of [...this.onHeld]) notify();
          return;
        case 'slow':
          setTimeout(() => this.forward(req, res, body), mode.delayMs);
          return;
        case 'pass':
          this.forward(req, res, body);
      }
    });
  }

  private appliesTo(req: IncomingMessage): boolean {
    if (this.route && !this.route.test(`${req.method} ${req.url ?? '/'}`)) return false;
    if (!this.only) return true;
    const service = signingService(req);
    return service !== undefined && this.only.has(service);
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const send = () =>
      new Promise<void>((resolve) => {
        const upstream = request(new URL(req.url ?? '/', this.target), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', () => resolve());
        });
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
          resolve();
        });
        upstream.end(body);
      });
    if (!this.serial) void send();
    else this.queue = this.queue.then(send);
  }
}

/** Starts a proxy to `target` in `mode`. */
export async function startFaultProxy(target: string, mode: FaultMode = { kind: 'pass' }): Promise<FaultProxy> {
  const proxy = await new FaultProxy(target).start();
  proxy.set(mode);
  return proxy;
}

/** The service a SigV4-signed request is for, from its credential scope (`…/us-east-1/monitoring/aws4_request`). */
function signingService(req: IncomingMessage): SigningService | undefined {
  const match = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  const service = match?.[1];
  return service === 's3' || service === 'monitoring' || service === 'ce' ? service : undefined;
}
