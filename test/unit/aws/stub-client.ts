// Answers an SDK client's commands in-process, before anything is signed or sent.
interface StubbableClient {
  middlewareStack: { add: (middleware: never, options: { step: 'initialize'; name: string; priority: 'high' }) => void };
}

/** Makes `client` answer every command with `answer(commandName, input)` (or its throw). */
export function stubClient(client: StubbableClient, answer: (commandName: string, input: Record<string, unknown>) => unknown): Array<{ command: string; input: Record<string, unknown> }> {
  const calls: Array<{ command: string; input: Record<string, unknown> }> = [];
  const middleware = ((_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
    const command = (context.commandName ?? '').replace(/Command$/, '');
    calls.push({ command, input: { ...args.input } }); // paginators reuse and mutate one input object
    return { output: { $metadata: {}, ...(await answer(command, args.input) as object) }, response: {} };
  }) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'stubAnswer', priority: 'high' });
  return calls;
}
