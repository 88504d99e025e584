import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTeamsWithRetry } from '../../../src/notify/teams-now.js';
import { TeamsDeliveryError, TeamsWebhook } from '../../../src/notify/teams-webhook.js';
import { renderTeams } from '../../../src/render/teams/index.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';

const card = renderTeams({ summary: 'one', blocks: [{ kind: 'text', text: 'one card' }] });

describe('postTeamsWithRetry (the command line\'s posts)', () => {
  let teams: FakeTeams;
  let waits: number[];
  const policy = (attempts: number, maxWaitMs: number) => ({ attempts, maxWaitMs, sleep: async (ms: number) => void waits.push(ms) });

  beforeAll(async () => {
    teams = await startFakeTeams();
  });
  afterAll(async () => {
    await teams.stop();
  });

  it('waits out a 429 for its Retry-After and backs off a 500, then posts', async () => {
    waits = [];
    teams.answerNext({ status: 429, retryAfterSeconds: 7 }, { status: 500 });
    const answer = await postTeamsWithRetry(new TeamsWebhook({ url: teams.url('s1g-one') }), card, policy(6, 60_000));
    expect(answer.status).toBe(202);
    expect(waits[0]).toBe(7_000);
    expect(waits).toHaveLength(2);
  });

  it('gives up at once on an answer that retrying cannot change', async () => {
    waits = [];
    teams.answerNext({ status: 403 });
    await expect(postTeamsWithRetry(new TeamsWebhook({ url: teams.url('s1g-two') }), card, policy(6, 60_000))).rejects.toMatchObject({ status: 403, retryable: false });
    expect(waits).toEqual([]);
  });

  it('gives up when Teams asks it to wait longer than a person at a terminal would', async () => {
    waits = [];
    teams.answerNext({ status: 429, retryAfterSeconds: 600 });
    const before = teams.received.length;
    await expect(postTeamsWithRetry(new TeamsWebhook({ url: teams.url('s1g-three') }), card, policy(6, 60_000))).rejects.toBeInstanceOf(TeamsDeliveryError);
    expect(teams.received.length - before).toBe(1);
    expect(waits).toEqual([]);
  });

  it('stops after its attempts', async () => {
    waits = [];
    teams.answerNext({ status: 502 }, { status: 502 }, { status: 502 });
    const before = teams.received.length;
    await expect(postTeamsWithRetry(new TeamsWebhook({ url: teams.url('s1g-four') }), card, policy(3, 60_000))).rejects.toMatchObject({ status: 502 });
    expect(teams.received.length - before).toBe(3);
    expect(waits).toHaveLength(2);
  });
});
