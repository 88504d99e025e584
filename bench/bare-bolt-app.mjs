// The baseline of the ack-latency benchmark: a Bolt app that only acknowledges `/s3`.
// Same Bolt, same receiver settings as the bot (HTTPReceiver, signature verification, ack before
// processing), an authorize that never calls Slack, and nothing else. Plain JavaScript run by
// plain node, as the bot runs from its compiled build: no loader on either side.
//
//   SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=xoxb-… [SLACK_API_URL=…] [PORT=0] node bench/bare-bolt-app.mjs
//
// Prints one JSON line `{"port":N}` to stdout once it listens; stops on SIGTERM.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const signingSecret = process.env.SLACK_SIGNING_SECRET ?? '';
const token = process.env.SLACK_BOT_TOKEN ?? '';
const apiUrl = process.env.SLACK_API_URL;

const app = new App({
  receiver: new HTTPReceiver({ signingSecret, endpoints: '/slack/events', processBeforeResponse: false }),
  // Bolt refuses `token` together with `authorize`; this authorize hands out the token, as the bot's does.
  authorize: async () => ({ botToken: token, botId: 'B0BOT', botUserId: 'U0BOT', teamId: 'T0001' }),
  logLevel: LogLevel.WARN,
  convoStore: false,
  ...(apiUrl ? { clientOptions: { slackApiUrl: apiUrl } } : {}),
});

app.command('/s3', async ({ ack }) => {
  await ack();
});

const server = await app.start(Number(process.env.PORT ?? 0));
process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);

process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
