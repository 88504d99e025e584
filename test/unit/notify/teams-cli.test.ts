import { describe, expect, it } from 'vitest';
import { runTeamsCli } from '../../../src/cli/teams.js';
import { runDoctor } from '../../../src/cli/doctor.js';
import { parseEvents } from '../render/teams/adaptive-sdk.js';

const SIG = 'dGVzdC1zaWduYXR1cmUtZm9yLXRoZS1jbGktdGVzdHM';
const URL_ = `https://prod-27.westeurope.logic.azure.com:443/workflows/4f1d/triggers/manual/paths/invoke?api-version=2016-06-01&sv=1.0&sig=${SIG}`;

function io(env: Record<string, string | undefined>, answer: () => Response | Promise<Response>) {
  const out: string[] = [];
  const err: string[] = [];
  const posted: unknown[] = [];
  return {
    out,
    err,
    posted,
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env,
      now: () => new Date('2026-11-26T09:00:00Z'),
      fetch: (async (_url: string, init: RequestInit) => {
        posted.push(JSON.parse(String(init.body)));
        return answer();
      }) as unknown as typeof fetch,
    },
  };
}

describe('s3-chatops teams test', () => {
  it('posts one valid test card and reports what Teams answered', async () => {
    const t = io({ TEAMS_WEBHOOK_URL: URL_ }, () => new Response(null, { status: 202 }));
    expect(await runTeamsCli(['test'], t.io)).toBe(0);
    expect(t.posted).toHaveLength(1);
    const body = t.posted[0] as { attachments: { content: unknown }[] };
    expect(parseEvents(body.attachments[0]!.content)).toEqual([]);
    expect(t.out.join('')).toContain('Teams answered 202');
  });

  it('says what Teams refused, with advice, and never prints the sig', async () => {
    const t = io({ TEAMS_WEBHOOK_URL: URL_ }, () => new Response(`bad sig for ${URL_}`, { status: 401 }));
    expect(await runTeamsCli(['test'], t.io)).toBe(1);
    const text = t.err.join('');
    expect(text).toContain('401');
    expect(text).toContain('copy the workflow');
    expect(text).not.toContain(SIG);
  });

  it('explains an unset webhook and bad usage', async () => {
    const unset = io({}, () => new Response(null, { status: 202 }));
    expect(await runTeamsCli(['test'], unset.io)).toBe(1);
    expect(unset.err.join('')).toContain('TEAMS_WEBHOOK_URL is not set');
    expect(unset.posted).toEqual([]);
    expect(await runTeamsCli(['post'], unset.io)).toBe(2);
  });
});

describe('doctor', () => {
  it('reports the Teams webhook\'s presence and shape without posting', async () => {
    let fetched = 0;
    const original = globalThis.fetch;
    globalThis.fetch = (async () => {
      fetched += 1;
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    try {
      const results = await runDoctor({
        env: { TEAMS_WEBHOOK_URL: URL_ },
        loadConfig: async () => Promise.reject(new Error('no config in this test')),
        createPorts: async () => Promise.reject(new Error('unused')),
        slackAuthTest: async () => ({}),
        redisPing: async () => undefined,
        now: () => new Date(),
      });
      const teams = results.find((r) => r.name === 'teams');
      expect(teams?.status).toBe('ok');
      expect(teams?.detail).not.toContain(SIG);
      expect(fetched).toBe(0);
    } finally {
      globalThis.fetch = original;
    }
  });
});
