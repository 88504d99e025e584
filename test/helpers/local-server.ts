// Listening on and closing the local HTTP servers the fakes (Slack, Teams, the bench sink) run.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free port of 127.0.0.1 and resolves with it. */
export async function listenLocal(server: Server, backlog?: number): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', ...(backlog ? { backlog } : {}) }, resolve));
  return (server.address() as AddressInfo).port;
}

/** Drops open connections (keep-alive sockets included) and closes the server. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
