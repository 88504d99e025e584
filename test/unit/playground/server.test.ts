// The playground's server alone (no bot): its Slack stand-in records what the bot posts, applies
// response_url replies as Slack does, and only the page on this machine may send commands.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { startPlaygroundServer, type PlaygroundServer } from '../../../src/playground/server.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

const TOKEN = 'xoxb-playground-test';
const SECRET = 'playground-signing-secret';

/** A raw request, so the Host and Origin headers are exactly as given. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('playground server', () => {
  let server: PlaygroundServer;
  let app: Server;
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeEach(async () => {
    received.length = 0;
    server = await startPlaygroundServer({ port: 0, botToken: TOKEN, signingSecret: SECRET, channelNames: { C0ALERTS: 'alerts' }, about: 'about line', logger: silentLogger() });
    // Stands in for the Bolt app: records what the playground sends to /slack/events and acknowledges.
    app = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    server.connect(`http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`);
  });
  afterEach(async () => {
    await server.stop();
    await new Promise((resolve) => app.close(resolve));
  });

  const api = (method: string, body: Record<string, unknown>, token = TOKEN) =>
    fetch(`${server.apiUrl}${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('serves the page with a policy that runs only its own script', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script type="module" src="/page.js"></script>');
  });

  it('records chat.postMessage and chat.update, labels configured channels, and refuses another token', async () => {
    const posted = await api('chat.postMessage', { channel: 'C0ALERTS', text: 'alert', blocks: [{ type: 'divider' }] });
    expect(posted).toMatchObject({ ok: true, channel: 'C0ALERTS' });
    const [message] = server.conversation.all();
    expect(message).toMatchObject({ channel: 'C0ALERTS', channelLabel: '#alerts (C0ALERTS)', text: 'alert', blocks: [{ type: 'divider' }], from: 'bot' });
    expect(await api('chat.update', { channel: 'C0ALERTS', ts: posted.ts, text: 'resolved' })).toMatchObject({ ok: true });
    expect(server.conversation.all()[0]).toMatchObject({ text: 'resolved', edited: true });
    expect(await api('chat.update', { channel: 'C0ALERTS', ts: '1.000', text: 'x' })).toEqual({ ok: false, error: 'message_not_found' });
    expect(await api('chat.postMessage', { channel: 'C0ALERTS', text: 'forged' }, 'xoxb-other')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(server.conversation.all()).toHaveLength(1);
  });

  it('turns a typed command into a signed slash command whose response_url replies reach the page', async () => {
    const sent = await fetch(`${server.url}/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '/s3 uploads demo --prefix a&b<c>' }) });
    expect(sent.status).toBe(202);
    await expect.poll(() => received.length).toBe(1);
    const { headers, body } = received[0]!;
    const signed = createHmac('sha256', SECRET).update(`v0:${String(headers['x-slack-request-timestamp'])}:${body}`).digest('hex');
    expect(headers['x-slack-signature']).toBe(`v0=${signed}`);
    const form = new URLSearchParams(body);
    expect(form.get('command')).toBe('/s3');
    // Escaped as Slack escapes typed text.
    expect(form.get('text')).toBe('uploads demo --prefix a&amp;b&lt;c&gt;');
    expect(form.get('user_id')).toBe('U0PLAYGROUND');

    const responseUrl = form.get('response_url')!;
    expect(responseUrl.startsWith(`${server.url}/respond/`)).toBe(true);
    await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'in_channel', text: 'status', blocks: [{ type: 'divider' }] }) });
    const [typed, answer] = server.conversation.all();
    expect(typed).toMatchObject({ from: 'you', text: '/s3 uploads demo --prefix a&b<c>' });
    expect(answer).toMatchObject({ from: 'bot', ephemeral: false, text: 'status', channel: 'C0PLAYGROUND' });
    expect((await fetch(`${server.url}/respond/not-one-we-made`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('applies a press\'s replies as Slack does: replace the original, or a new ephemeral message', async () => {
    const posted = await api('chat.postMessage', { channel: 'C0PLAYGROUND', text: 'preview', blocks: [{ type: 'actions', elements: [] }] });
    const message = server.conversation.all()[0]!;
    await fetch(`${server.url}/action`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: message.id, actionId: 'cleanup_cancel', blockId: 'b', value: 'v', text: 'Cancel' }) });
    await expect.poll(() => received.length).toBe(1);
    const payload = JSON.parse(new URLSearchParams(received[0]!.body).get('payload')!) as Record<string, any>;
    expect(payload).toMatchObject({ type: 'block_actions', user: { id: 'U0PLAYGROUND' }, container: { message_ts: posted.ts, channel_id: 'C0PLAYGROUND' }, actions: [{ action_id: 'cleanup_cancel', value: 'v' }] });
    await fetch(payload.response_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: 'only you' }) });
    await fetch(payload.response_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'Cleanup cancelled' }) });
    const [original, note] = server.conversation.all();
    expect(original).toMatchObject({ id: message.id, text: 'Cleanup cancelled', blocks: [], edited: true });
    expect(note).toMatchObject({ text: 'only you', ephemeral: true });
  });

  it('takes commands only from its own page: JSON, from no other origin, on its own host name', async () => {
    const url = `${server.url}/command`;
    const port = new URL(server.url).port;
    const body = JSON.stringify({ text: 'cleanup demo' });
    expect((await raw(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).status).toBe(403);
    expect((await raw(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body })).status).toBe(403);
    expect((await raw(url, { method: 'POST', headers: { 'content-type': 'application/json', host: `evil.example:${port}` }, body })).status).toBe(421);
    expect((await raw(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: `http://localhost:${port}`, host: `localhost:${port}` }, body })).status).toBe(202);
    await expect.poll(() => received.length).toBe(1);
    expect(server.conversation.all().filter((m) => m.from === 'you')).toHaveLength(1);
  });

  it('streams every message so far and each new one to the page', async () => {
    await api('chat.postMessage', { channel: 'C0PLAYGROUND', text: 'first' });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let seen = '';
    const until = async (text: string) => {
      while (!seen.includes(text)) seen += new TextDecoder().decode((await reader.read()).value);
    };
    await until('"text":"first"');
    expect(seen).toContain('event: hello\ndata: {"about":"about line"}');
    await api('chat.postMessage', { channel: 'C0PLAYGROUND', text: 'second' });
    await until('"text":"second"');
    controller.abort();
  });
});
