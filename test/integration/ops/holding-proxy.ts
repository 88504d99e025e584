import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of moto that can hold requests: the bot's AWS calls wait in it until
 * the test releases them, so the test knows a computation is running when it sends a signal.
 */
export class HoldingProxy {
  private server?: Server;
  private holding = false;
  private readonly held: Array<() => void> = [];
  private readonly onHeld = new Set<() => void>();
  /** Requests seen so far. */
  received = 0;

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** From now on, requests wait until `release()`. */
  hold(): void {
    this.holding = true;
  }

  /** Lets the held requests through and stops holding. */
  release(): void {
    this.holding = false;
    for (const forward of this.held.splice(0)) forward();
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

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.received += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        const upstream = request(new URL(req.url ?? '/', this.target), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      };
      if (!this.holding) return forward();
      this.held.push(forward);
      for (const notify of [...this.onHeld]) notify();
    });
  }
}
