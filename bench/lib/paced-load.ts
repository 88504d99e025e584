import http from 'node:http';

export interface PacedResult {
  /** Response times (send to last byte), in milliseconds, of the requests answered. */
  latencies: number[];
  /** When each answered request was sent, in ms from the start, in the order of `latencies`. */
  sentAt: number[];
  sent: number;
  errors: number;
  durationS: number;
}

export interface PacedOptions {
  url: string;
  path: string;
  /** Requests per second, sent evenly spaced whatever the answers do (an open loop). */
  rate: number;
  durationS: number;
  /** At most this many requests in flight (keep-alive sockets). */
  connections: number;
  next: () => { body: string; headers: Record<string, string> };
  onResponse: (status: number, body: string) => void;
}

/**
 * An open-loop load: one request every 1/rate seconds on up to `connections` keep-alive sockets,
 * each timed from its send. Unlike autocannon's rate option, which lets every connection send its
 * share of a second at the start of that second, the requests are spread evenly, so the latencies
 * show what one command waits for when the server is not flooded.
 */
export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.path, options.url);
  const latencies: number[] = [];
  const sentAt: number[] = [];
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const interval = 1000 / options.rate;
  const started = performance.now();
  const total = Math.round(options.rate * options.durationS);

  const tally: Tally = { latencies, sentAt, errors: 0, started };
  const fire = () => {
    const done = timedPost(agent, target, options.next(), tally, options.onResponse);
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  while (sent < total) {
    // Send every request whose time has come, then sleep until the next one is due.
    const due = Math.floor((performance.now() - started) / interval) + 1;
    while (sent < Math.min(due, total)) {
      fire();
      sent += 1;
    }
    const nextAt = started + sent * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, sentAt, sent, errors: tally.errors, durationS: (performance.now() - started) / 1000 };
}

export interface BurstOptions extends Omit<PacedOptions, 'rate' | 'durationS'> {
  /** How many bursts, each of `connections` requests sent at the same moment. */
  bursts: number;
  /** Time from one burst's start to the next one's. */
  everyMs: number;
}

/**
 * Bursts: `connections` requests at once (as when a channel full of people types the same
 * command in an incident), then quiet until the next burst. Each request is timed from its send.
 */
export async function burstLoad(options: BurstOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.path, options.url);
  const latencies: number[] = [];
  const sentAt: number[] = [];
  let sent = 0;
  const started = performance.now();
  const tally: Tally = { latencies, sentAt, errors: 0, started };
  const one = () => timedPost(agent, target, options.next(), tally, options.onResponse);
  // One burst first, not counted, so the measured ones find their keep-alive connections open
  // (otherwise the first burst's 50 TCP handshakes alone fill the top percentile).
  await Promise.all(Array.from({ length: options.connections }, () => one()));
  latencies.length = 0;
  sentAt.length = 0;
  await new Promise((resolve) => setTimeout(resolve, options.everyMs));
  for (let burst = 0; burst < options.bursts; burst += 1) {
    const burstStart = performance.now();
    const all: Promise<void>[] = [];
    for (let i = 0; i < options.connections; i += 1) {
      all.push(one());
      sent += 1;
    }
    await Promise.all(all);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, burstStart + options.everyMs - performance.now())));
  }
  agent.destroy();
  return { latencies, sentAt, sent, errors: tally.errors, durationS: (performance.now() - started) / 1000 };
}

/** What both load shapes record of their requests. */
interface Tally {
  latencies: number[];
  sentAt: number[];
  errors: number;
  /** The run's start, for `sentAt`. */
  started: number;
}

/** POSTs one request, timed from its send to its last byte; resolves whatever happens, counting errors. */
function timedPost(
  agent: http.Agent,
  target: URL,
  request: { body: string; headers: Record<string, string> },
  tally: Tally,
  onResponse: (status: number, body: string) => void,
): Promise<void> {
  const { body, headers } = request;
  const t0 = performance.now();
  return new Promise<void>((resolve) => {
    const req = http.request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        tally.latencies.push(performance.now() - t0);
        tally.sentAt.push(t0 - tally.started);
        onResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
        resolve();
      });
      res.on('error', () => {
        tally.errors += 1;
        resolve();
      });
    });
    req.on('error', () => {
      tally.errors += 1;
      resolve();
    });
    req.end(body);
  });
}
