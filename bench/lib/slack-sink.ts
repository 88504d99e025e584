import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocal } from '../../test/helpers/local-server.js';

/** What reached the sink's `response_url`s. */
export interface SinkCounts {
  /** Posts to any `/respond/<id>`. */
  posts: number;
  /** Distinct `<id>`s posted to (one id per slash command sent). */
  distinctIds: number;
  /** Posts whose body is a `/s3 status` answer (its header block). */
  statusAnswers: number;
  /** Status answers that carry the "reused" note (an identical question answered within the reuse window). */
  reusedAnswers: number;
  inChannel: number;
  /** When the first status answers without the "reused" note arrived (ms since the epoch): fresh computations. */
  freshAt: number[];
  /** Up to three bodies that were not status answers, for the report. */
  otherSamples: string[];
}

/**
 * A fake Slack for load: the Web API methods the bot calls (auth.test answers an identity,
 * anything else `{ ok: true }`) and `response_url`s under `/respond/<id>`. Unlike the tests'
 * FakeSlack it keeps counters rather than every call, so tens of thousands of answers during a
 * load run cost the benchmark process little memory and time.
 */
export class SlackSink {
  private server?: Server;
  private port = 0;
  private ids = new Set<string>();
  private counts: SinkCounts = emptyCounts();
  /** Web API calls by method. */
  readonly apiCalls = new Map<string, number>();
  /** TCP connections opened to the sink so far (few means the bot reuses keep-alive connections). */
  connections = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', () => {
      this.connections += 1;
    });
    // Many answers arrive at once; do not let the default backlog refuse them.
    this.port = await listenLocal(this.server, 1024);
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await closeServer(this.server);
    this.server = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The base URL for SLACK_API_URL / `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The counters so far (a copy). */
  snapshot(): SinkCounts {
    return { ...this.counts, distinctIds: this.ids.size, otherSamples: [...this.counts.otherSamples], freshAt: [...this.counts.freshAt] };
  }

  reset(): void {
    this.ids = new Set();
    this.counts = emptyCounts();
  }

  /** Resolves once no answer has arrived for `quietMs`, or after `maxMs`; returns the counters. */
  async settle(quietMs = 1_000, maxMs = 15_000): Promise<SinkCounts> {
    const deadline = Date.now() + maxMs;
    let last = this.counts.posts;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.counts.posts !== last) {
        last = this.counts.posts;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) {
        break;
      }
    }
    return this.snapshot();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0]!;
    // Control routes, for a benchmark talking to a sink in another process (RemoteSlackSink).
    if (path === '/_sink/counts') {
      const body = { ...this.snapshot(), connections: this.connections, apiCalls: Object.fromEntries(this.apiCalls) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (path === '/_sink/reset') {
      this.reset();
      res.writeHead(204).end();
      return;
    }
    if (path.startsWith('/respond/')) {
      const body = Buffer.concat(chunks).toString('utf8');
      this.counts.posts += 1;
      this.ids.add(path.slice('/respond/'.length));
      if (body.includes('"S3 status: ')) {
        this.counts.statusAnswers += 1;
        if (body.includes('reused: identical questions')) this.counts.reusedAnswers += 1;
        else if (this.counts.freshAt.length < 50) this.counts.freshAt.push(Date.now());
      } else if (this.counts.otherSamples.length < 3) {
        this.counts.otherSamples.push(body.slice(0, 300));
      }
      if (body.includes('"response_type":"in_channel"')) this.counts.inChannel += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (!api) {
      res.writeHead(404).end();
      return;
    }
    const method = api[1]!;
    this.apiCalls.set(method, (this.apiCalls.get(method) ?? 0) + 1);
    const answer =
      method === 'auth.test'
        ? { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 's3bot', team_id: 'T0001', user_id: 'U0BOT', bot_id: 'B0BOT' }
        : { ok: true };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}

function emptyCounts(): SinkCounts {
  return { posts: 0, distinctIds: 0, statusAnswers: 0, reusedAnswers: 0, inChannel: 0, freshAt: [], otherSamples: [] };
}

/** The counters a sink in another process reports. */
export type RemoteCounts = SinkCounts & { connections: number; apiCalls: Record<string, number> };

/**
 * A SlackSink running in its own process (bench/slack-sink-server.ts), so the answers the bot
 * posts are received outside the process that generates the load and times the acknowledgements.
 */
export class RemoteSlackSink {
  constructor(readonly url: string) {}

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async snapshot(): Promise<RemoteCounts> {
    const response = await fetch(`${this.url}/_sink/counts`);
    return (await response.json()) as RemoteCounts;
  }

  async reset(): Promise<void> {
    await fetch(`${this.url}/_sink/reset`, { method: 'POST' });
  }

  /** Resolves once no answer has arrived for `quietMs`, or after `maxMs`; returns the counters. */
  async settle(quietMs = 1_000, maxMs = 15_000): Promise<RemoteCounts> {
    const deadline = Date.now() + maxMs;
    let last = await this.snapshot();
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await this.snapshot();
      if (now.posts !== last.posts) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) {
        return now;
      }
    }
    return this.snapshot();
  }
}
