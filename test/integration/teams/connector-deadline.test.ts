// A Bot Connector that takes the bot's reply and never answers: the SDK's call is cancelled at the
// connector deadline, the person's turn ends, and the log says the reply was not delivered. The real
// adapter and JWT check over HTTP; `help` needs nothing of AWS or Redis.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsPorts } from '../../../src/aws/ports.js';
import type { Config } from '../../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/lib/logger.js';
import { createTeamsEntry, TEAMS_MESSAGES_PATH } from '../../../src/teams/index.js';
import { testConnections } from '../../helpers/fake-connector.js';
import { closeServer, listenLocal } from '../../helpers/local-server.js';
import { TeamsIssuer } from '../../helpers/teams-issuer.js';

const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';

describe('Teams connector deadline', () => {
  let issuer: TeamsIssuer;
  let connector: Server;
  let bot: Server;
  let connectorPort = 0;
  let botPort = 0;
  const held: { req: IncomingMessage; closedUnanswered: Promise<boolean> }[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    issuer = await new TeamsIssuer(APP_ID, TENANT).start();
    // Reads the request and never answers; records whether the bot gave up on it.
    connector = createServer((req, res) => {
      req.resume();
      held.push({ req, closedUnanswered: new Promise((resolve) => res.on('close', () => resolve(!res.writableEnded))) });
    });
    connectorPort = await listenLocal(connector);
    const env = envSchema.parse({ AWS_REGION: 'us-east-1', PORT: '0' });
    const config: Config = { ...fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] }), env, region: 'us-east-1', configFile: 'test.yml', slack: {} };
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } as never });
    const { route } = createTeamsEntry({
      settings: { appId: APP_ID, tenantId: TENANT, password: 'unused', authority: issuer.authority },
      ctx: { config, aws: {} as AwsPorts, now: () => new Date(), logger },
      logger,
      connections: testConnections(),
      connectorDeadlineMs: 300,
    });
    bot = createServer((req, res) => (req.url === TEAMS_MESSAGES_PATH && req.method === 'POST' ? route.handler(req, res) : res.writeHead(404).end()));
    botPort = await listenLocal(bot);
  });

  afterAll(async () => {
    for (const h of held) h.req.destroy();
    await closeServer(bot);
    await closeServer(connector);
    await issuer.stop();
  });

  it('cancels a reply the connector never answers, and the turn still ends', async () => {
    const activity = {
      type: 'message',
      id: 'act-1',
      text: 'help',
      channelId: 'msteams',
      serviceUrl: `http://127.0.0.1:${connectorPort}/`,
      from: { id: '29:user', aadObjectId: '0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b' },
      recipient: { id: `28:${APP_ID}` },
      conversation: { id: 'a:personal', conversationType: 'personal', tenantId: TENANT },
    };
    const response = await fetch(`http://127.0.0.1:${botPort}${TEAMS_MESSAGES_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issuer.token()}` },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(200);
    expect(held.length).toBeGreaterThan(0);
    // The bot closed the connection itself, with no answer from the connector.
    expect(await held[0]!.closedUnanswered).toBe(true);
    expect(lines.some((line) => line.includes('could not reply in Teams'))).toBe(true);
  });
});
