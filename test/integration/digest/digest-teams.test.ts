// The daily digest job with the Teams feed: the digest reaches a local fake Teams webhook through
// the Teams queue and its worker (real BullMQ on Redis) as exactly one card, for 1 and 200 buckets.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processDigestJob, type DigestJobConfig } from '../../../src/jobs/digest-job.js';
import { MemoryDigestLedger } from '../../../src/jobs/digest-ledger.js';
import type { DigestPoster } from '../../../src/jobs/digest-poster.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { startTeamsDelivery, type TeamsDelivery } from '../../../src/jobs/teams-worker.js';
import { AlertStore } from '../../../src/alerts/store.js';
import { stripMarkup } from '../../../src/message/markup.js';
import type { Message } from '../../../src/message/model.js';
import { TEAMS_LIMITS } from '../../../src/render/teams/index.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { digestConfig, fleetPorts, NOW } from '../../unit/reports/digest-fixtures.js';
import { parseEvents } from '../../unit/render/teams/adaptive-sdk.js';

const SIG = 'ZGlnZXN0LWpvYi10by10ZWFtcy1zaWduYXR1cmU';

interface CardBody {
  type: string;
  attachments: { contentType: string; content: { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] } }[];
}

describeWithServices('the digest job to Teams', () => {
  const queuePrefix = `tdq${randomUUID().slice(0, 8)}`;
  const keyPrefix = `test-digest-teams-${randomUUID().slice(0, 8)}:`;
  let teams: FakeTeams;
  let connection: Redis;
  let delivery: TeamsDelivery;
  let queue: Queue;

  beforeAll(async () => {
    teams = await startFakeTeams();
    connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    delivery = startTeamsDelivery({ webhookUrl: teams.url(SIG), outbox: new AlertStore(connection, { keyPrefix }).outbox('teams'), workerConnection: connection, producerConnection: connection, storeConnection: connection, queuePrefix, keyPrefix, message: { region: 'us-east-1' }, logger: silentLogger() });
    queue = new Queue(TEAMS_QUEUE, { connection, prefix: queuePrefix });
  });

  afterAll(async () => {
    await delivery?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    const keys = await connection.keys(`${keyPrefix}*`);
    if (keys.length > 0) await connection.del(...keys);
    connection?.disconnect();
    await teams?.stop();
  });

  /** Runs the digest job for a fleet twice (a retry) with the Teams feed; returns the Slack posts and the cards Teams got. */
  async function digestToTeams(buckets: number, slot: string) {
    const fleet = fleetPorts(buckets);
    const config: DigestJobConfig = { ...digestConfig(fleet.buckets), channels: { digest: 'C0DIGEST' }, schedules: { timezone: 'America/New_York', digestTime: '09:00' } };
    const slack: Message[] = [];
    const poster: DigestPoster = {
      async post(_channel, message) {
        slack.push(message);
        return { ts: `1700000000.${String(slack.length).padStart(6, '0')}` };
      },
    };
    const deps = { config, aws: fleet.ports, poster, ledger: new MemoryDigestLedger(), now: () => NOW, logger: silentLogger(), teams: delivery.feed };
    const before = teams.received.length;
    await processDigestJob(deps, { slot });
    // Run again, as a retried or re-enqueued job would: Teams must still get one card.
    await processDigestJob(deps, { slot });
    await expect.poll(async () => (await queue.getJob(`teams-digest-${slot}`))?.finishedOn !== undefined, { timeout: 20_000, interval: 100 }).toBe(true);
    const cards = teams.received.slice(before);
    return { slack, cards };
  }

  function check(card: { body: unknown }): CardBody {
    const body = card.body as CardBody;
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(parseEvents(body.attachments[0]!.content)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(TEAMS_LIMITS.messageBytes);
    return body;
  }

  it('1 bucket: exactly one card, the whole digest, with the figures of the Slack message', async () => {
    const { slack, cards } = await digestToTeams(1, '2026-11-26');
    expect(cards.map((c) => c.status)).toEqual([202]);
    const body = check(cards[0]!);
    const json = JSON.stringify(body);
    expect(json).toContain('S3 daily digest');
    expect(json).not.toContain('left out');
    expect(slack).toHaveLength(1);
    const fields = slack[0]!.blocks.find((b) => b.kind === 'fields');
    const facts = body.attachments[0]!.content.body.find((e) => e.type === 'FactSet')?.facts ?? [];
    expect(facts.map((f) => f.title)).toEqual(fields?.kind === 'fields' ? fields.fields.map((f) => f.label) : ['missing']);
  });

  it('200 buckets: exactly one card under 28 KB that says what it left out, while Slack gets the summary and its thread', async () => {
    const { slack, cards } = await digestToTeams(200, '2026-11-27');
    expect(cards.map((c) => c.status)).toEqual([202]);
    const body = check(cards[0]!);
    const json = JSON.stringify(body);
    expect(json).toContain('Per-bucket detail for all 200 buckets is left out of this card');
    expect(json).toContain('s3-chatops digest');
    expect(slack.length).toBeGreaterThan(1);
    // The fleet totals are the Slack summary's own, value for value.
    const fields = slack[0]!.blocks.find((b) => b.kind === 'fields');
    const facts = body.attachments[0]!.content.body.find((e) => e.type === 'FactSet')?.facts ?? [];
    expect(facts.map((f) => f.title)).toEqual(fields?.kind === 'fields' ? fields.fields.map((f) => f.label) : ['missing']);
    expect(facts.map((f) => f.value.replace(/\*\*/g, ''))).toEqual(fields?.kind === 'fields' ? fields.fields.map((f) => stripMarkup(f.value).replace(/\n/g, ' · ')) : ['missing']);
  });
}, ['redis']);
