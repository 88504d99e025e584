// The fake Slack of the ack-latency benchmark, in a process of its own: auth.test and the
// response_urls the bot answers through. Prints `{"port":N}` once it listens; stops on SIGTERM.
//
//   node --import tsx bench/slack-sink-server.ts
import { SlackSink } from './lib/slack-sink.js';

const sink = await new SlackSink().start();
process.stdout.write(`${JSON.stringify({ port: Number(new URL(sink.url).port) })}\n`);
process.once('SIGTERM', () => {
  void sink.stop().finally(() => process.exit(0));
});
