// A `test` asked in Teams while a test upload to the same bucket is running, typed or pressed as Run
// test upload, joins that upload and gets its result with a note saying so, as on Slack. The real
// adapter and JWT check over HTTP, replies at a fake Bot Connector, the upload against moto, held
// at its write until every question has reached the bot's answer pool.
import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { AnswerPool } from '../../../src/commands/answer-pool.js';
import type { CommandContext } from '../../../src/commands/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { S3Monitor } from '../../../src/metrics/s3-monitor.js';
import { createTeamsEntry, TEAMS_MESSAGES_PATH } from '../../../src/teams/index.js';
import { testConfig } from '../../helpers/config.js';
import { FakeConnector, testConnections, type ConnectorCall } from '../../helpers/fake-connector.js';
import { closeServer, listenLocal } from '../../helpers/local-server.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { TeamsIssuer } from '../../helpers/teams-issuer.js';
import { waitFor } from '../../helpers/wait.js';

const APP_ID = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';
const TENANT = '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const PREFIX = '_s3-chatops/test/';
const JOINED_NOTE = 'was already running when you asked; this is its result';

describeWithServices('Teams: a test asked while one runs', () => {
  let issuer: TeamsIssuer;
  let connector: FakeConnector;
  let server: Server;
  let port = 0;
  let bucket: string;
  let stopEntry: () => void = () => undefined;
  const clients = createTestAwsClients();
  const registry = new Registry();
  // Closed, it holds the bot's uploads at their write; `held` says one is waiting there.
  let hold: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  let held = false;
  // The real pool, watched: which questions reached it.
  const asked = vi.spyOn(AnswerPool.prototype, 'ask');
  let nextId = 1;

  beforeAll(async () => {
    bucket = await createBucket(uniqueBucketName('teams-join'));
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') {
          held = true;
          await hold;
          held = false;
        }
        return next(args);
      },
      { step: 'initialize', name: 'holdPut' },
    );
    issuer = await new TeamsIssuer(APP_ID, TENANT).start();
    connector = await new FakeConnector().start();
    const config = testConfig([{ name: bucket, alias: 'docs' }]);
    const logger = silentLogger();
    const ctx: CommandContext = {
      config,
      aws: createAwsPorts({ clients, cache: new MemoryCache(), config, logger, now: () => new Date() }),
      now: () => new Date(),
      logger,
      actions: { s3: clients.s3, monitor: new S3Monitor({ registry }) },
    };
    const entry = createTeamsEntry({ settings: { appId: APP_ID, tenantId: TENANT, password: 'unused', authority: issuer.authority }, ctx, logger, connections: testConnections() });
    stopEntry = entry.stop;
    server = createServer((req, res) => (req.url === TEAMS_MESSAGES_PATH && req.method === 'POST' ? entry.route.handler(req, res) : res.writeHead(404).end()));
    port = await listenLocal(server);
  }, 60_000);

  afterAll(async () => {
    release();
    asked.mockRestore();
    stopEntry();
    if (server) await closeServer(server);
    await connector?.stop();
    await issuer?.stop();
    clients.release();
  });

  /** Posts an activity as Teams does, signed; resolves with the HTTP answer once the bot's turn has ended. */
  const post = (fields: Record<string, unknown>, user: string) =>
    fetch(`http://127.0.0.1:${port}${TEAMS_MESSAGES_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issuer.token({ serviceUrl: connector.serviceUrl })}` },
      body: JSON.stringify({
        id: `act-${nextId++}`,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: `29:${user}`, aadObjectId: user },
        recipient: { id: `28:${APP_ID}`, name: 's3-chatops' },
        conversation: { id: `a:personal-${user}`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        ...fields,
      }),
    });

  const typed = (text: string, user: string) => post({ type: 'message', text }, user);
  const pressed = (verb: string, value: string, user: string) =>
    post({ type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card-1', value: { action: { type: 'Action.Execute', verb, data: { value } }, trigger: 'manual' } }, user);

  /** The text of the card the connector received in `user`'s personal chat. */
  const replyTo = (user: string): string => {
    const calls = connector.calls.filter((c: ConnectorCall) => c.conversationId === `a:personal-${user}`);
    expect(calls).toHaveLength(1);
    return JSON.stringify(calls[0]!.activity.attachments?.[0]?.content);
  };
  const keyIn = (text: string) => new RegExp(`(${PREFIX}[^\`"\\\\]+)`).exec(text)?.[1];
  const uploads = async () => Number(/utility_operations_total\{operation="s3_upload",status="success"\} (\d+)/.exec(await registry.metrics())?.[1] ?? 0);
  const testQuestions = () => asked.mock.calls.filter(([key]) => key.startsWith('["test"')).length;

  it('typed and pressed while a typed test runs: one upload, and both later askers get its result with the joined note', async () => {
    const before = await uploads();
    hold = new Promise((resolve) => (release = resolve));
    const first = typed(`test ${bucket}`, 'starter');
    await waitFor(() => held, undefined, { message: 'the first upload never reached its write' });
    const press = pressed('test_upload', bucket, 'presser');
    const second = typed('test docs', 'typist');
    await waitFor(testQuestions, (n) => expect(n).toBe(3), { message: 'the later questions never reached the answer pool' });
    release();

    const answers = await Promise.all([first, press, second]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const invoke = (await answers[1].json()) as { statusCode: number; type: string; value: unknown };
    expect(invoke.type).toBe('application/vnd.microsoft.card.adaptive');
    const pressCard = JSON.stringify(invoke.value);
    const starterCard = replyTo('starter');
    const typistCard = replyTo('typist');

    // One upload: the same key written in every answer, and the upload counted once.
    expect(keyIn(starterCard)).toBeDefined();
    expect(keyIn(pressCard)).toBe(keyIn(starterCard));
    expect(keyIn(typistCard)).toBe(keyIn(starterCard));
    expect(await uploads()).toBe(before + 1);
    // The starter's answer is the upload's own; those who joined are told they joined.
    expect(starterCard).not.toContain(JOINED_NOTE);
    expect(pressCard).toContain(JOINED_NOTE);
    expect(typistCard).toContain(JOINED_NOTE);
  }, 60_000);
}, ['moto']);
