// A plain TCP proxy with two modes: `pass` forwards both ways; `freeze` keeps every connection open
// (and accepts new ones) but forwards nothing, as a Redis that is up and not answering. Bytes sent
// while frozen wait in the sockets and flow once it passes again, as after a paused server resumes.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class FrozenTcpProxy {
  private server?: Server;
  private frozen = false;
  private readonly pairs = new Set<[Socket, Socket]>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Nothing is forwarded from now on; connections stay open and new ones are accepted. */
  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) hold(pair);
  }

  /** Forwards again, what waited first. */
  pass(): void {
    this.frozen = false;
    for (const pair of this.pairs) forward(pair);
  }

  /** Drops every connection and stops listening. */
  async stop(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    if (this.frozen) hold(pair);
    else forward(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }
}

function forward([client, upstream]: [Socket, Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}

// Unpiped and paused: a pipe's own drain handling could otherwise resume a paused source.
function hold([client, upstream]: [Socket, Socket]): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}

/** A frozen-capable proxy in front of the Redis at `redisUrl`; the URL to give the bot is `redis://127.0.0.1:<port>`. */
export async function startFrozenRedisProxy(redisUrl: string): Promise<FrozenTcpProxy & { url: string }> {
  const target = new URL(redisUrl);
  const proxy = await new FrozenTcpProxy(target.hostname, Number(target.port || 6379)).start();
  return Object.assign(proxy, { url: `redis://127.0.0.1:${proxy.port}` });
}
