import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPing, slackAuthTest } from '../../../src/cli/probes.js';

// A local stand-in for Slack's Web API: auth.test answers by token.
describe('slackAuthTest', () => {
  let server: Server;
  let apiUrl: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      const ok = req.headers.authorization === 'Bearer xoxb-good';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(ok ? { ok: true, team: 'Acme', user: 's3-chatops' } : { ok: false, error: 'invalid_auth' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => server.close());

  it('calls auth.test at SLACK_API_URL and says who the token is', async () => {
    expect(await slackAuthTest('xoxb-good', apiUrl)).toEqual({ team: 'Acme', user: 's3-chatops' });
    expect(seen.at(-1)).toBe('/api/auth.test Bearer xoxb-good');
  });

  it('rejects with Slack\'s error code when the token is refused', async () => {
    await expect(slackAuthTest('xoxb-bad', apiUrl)).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });
});

describe('redisPing', () => {
  it('rejects quickly, without retrying, when nothing listens', async () => {
    const started = Date.now();
    await expect(redisPing('redis://127.0.0.1:1')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
