// Counts the commands an SDK client sends, through the client's own middleware stack.
interface MiddlewareClient {
  middlewareStack: { add: (middleware: never, options: { step: 'initialize'; name: string }) => void };
}

/** Attaches a counter to `client`; `count('GetMetricData')` says how many were sent. */
export function countCommands(client: MiddlewareClient): { count: (commandName: string) => number; total: () => number } {
  const counts = new Map<string, number>();
  const middleware = ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const name = (context.commandName ?? '').replace(/Command$/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return next(args);
  }) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: `commandCounter${Math.random()}` });
  return {
    count: (commandName) => counts.get(commandName) ?? 0,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}
