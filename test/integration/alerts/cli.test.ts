// `s3-chatops alerts evaluate [--post]` as a person runs it, against moto, Redis and the fake Slack.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AlertStore } from '../../../src/alerts/store.js';
import { TEAMS_BOT_DESTINATION } from '../../../src/notify/destinations.js';
import { TEAMS_BOT_ALERT_JOB } from '../../../src/notify/teams-bot-delivery.js';
import { TEAMS_QUEUE } from '../../../src/notify/teams-delivery.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, putRequestMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { runCliInProcess, runCliProcess } from '../cli/run.js';

describeWithServices('s3-chatops alerts evaluate', () => {
  let slack: FakeSlack;
  let env: Record<string, string>;
  const failing = uniqueBucketName('cli-5xx');
  const quiet = uniqueBucketName('cli-ok');

  beforeAll(async () => {
    slack = await startFakeSlack();
    await createBucket(failing, { metricsConfigIds: ['EntireBucket'] });
    await createBucket(quiet, { metricsConfigIds: ['EntireBucket'] });
    const now = Date.now();
    const points = Array.from({ length: 16 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 500, '5xxErrors': 5 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(failing, 'EntireBucket', points.slice(i, i + 8));
    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cli-alerts-'));
    const file = join(dir, 'config.yml');
    writeFileSync(file, `buckets:\n  - name: ${failing}\n    alias: failing\n  - name: ${quiet}\n    alias: quiet\nchannels:\n  alerts: C0ALERTS\n`);
    env = { ...awsTestEnv(), CONFIG_FILE: file, REDIS_URL: redisUrl(), SLACK_BOT_TOKEN: 'xoxb-cli', SLACK_API_URL: slack.apiUrl };
  });

  afterAll(async () => {
    await slack?.stop();
  });

  it('previews every rule\'s verdict and the message it would post, posting nothing', async () => {
    const run = await runCliInProcess(['alerts', 'evaluate'], env);
    expect(run.stderr).not.toContain('unexpected error');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/firing\s+server-errors on failing/);
    expect(run.stdout).toMatch(/ok\s+server-errors on quiet/);
    expect(run.stdout).toContain('preview');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('with --post records the state and posts the firing alert once', async () => {
    // A child: the process ends once it has posted, its Redis and Slack clients closed.
    const first = await runCliProcess(['alerts', 'evaluate', '--post'], env);
    expect(first.code).toBe(0);
    const posts = slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(failing));
    expect(posts).toHaveLength(1);
    // Evaluated again with nothing changed: nothing more is posted.
    await runCliInProcess(['alerts', 'evaluate', '--post'], env);
    expect(slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(failing))).toHaveLength(1);
  });

  it("with --post takes its Slack calls' turns from the channel's pace that the workers share", async () => {
    const bucket = uniqueBucketName('cli-pace');
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    const now = Date.now();
    const points = Array.from({ length: 16 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 500, '5xxErrors': 5 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));
    const channel = `C0PACE${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-cli-pace-')), 'config.yml');
    writeFileSync(file, `buckets:\n  - name: ${bucket}\n    alias: paced\nchannels:\n  alerts: ${channel}\n`);
    // A worker has just taken the channel's slots for the next 1.5 s.
    const redis = new Redis(redisUrl());
    const key = `s3-chatops:pace:slack:${channel}`;
    try {
      const [seconds, micros] = await redis.time();
      const taken = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + 1500;
      await redis.set(key, String(taken), 'PX', 60_000);
      const run = await runCliInProcess(['alerts', 'evaluate', '--post'], { ...env, CONFIG_FILE: file });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/firing\s+server-errors on paced/);
      expect(slack.callsOf('chat.postMessage').filter((c) => c.body.channel === channel)).toHaveLength(1);
      // Its post took the next slot after them (one a second, alerts.messagesPerSecond's default).
      expect(Number(await redis.get(key))).toBeGreaterThanOrEqual(taken + 1000);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });

  it('with --post and the bot\'s alert channel queues each change for that channel, for a worker to post as the bot', async () => {
    const bucket = uniqueBucketName('cli-bot');
    await createBucket(bucket, { metricsConfigIds: ['EntireBucket'] });
    const now = Date.now();
    const points = Array.from({ length: 16 }, (_, i) => ({ at: new Date(now - (i + 1) * 60_000), AllRequests: 500, '5xxErrors': 5 }));
    for (let i = 0; i < points.length; i += 8) await putRequestMetrics(bucket, 'EntireBucket', points.slice(i, i + 8));
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-cli-bot-')), 'config.yml');
    writeFileSync(file, `buckets:\n  - name: ${bucket}\nchannels:\n  alerts: C0ALERTS\nteams:\n  alertChannel: "19:clibot0@thread.tacv2"\n`);
    const teamsEnv = { TEAMS_APP_ID: '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f', TEAMS_TENANT_ID: '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5', TEAMS_APP_PASSWORD: 'unused-here' };
    const id = `server-errors:${bucket}`;
    const redis = new Redis(redisUrl());
    const teamsQueue = new Queue(TEAMS_QUEUE, { connection: redis });
    const jobId = `teams-bot-${id.replace(/[^A-Za-z0-9._-]/g, '_')}-1`;
    try {
      const run = await runCliInProcess(['alerts', 'evaluate', '--post'], { ...env, ...teamsEnv, CONFIG_FILE: file });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('1 change queued for the Teams channel 19:clibot0@thread.tacv2');
      const botOutbox = new AlertStore(redis).outbox(TEAMS_BOT_DESTINATION);
      expect(await botOutbox.pendingIds()).toContain(id);
      expect((await botOutbox.next(id))?.kind).toBe('fired');
      const job = await teamsQueue.getJob(jobId);
      expect(job?.name).toBe(TEAMS_BOT_ALERT_JOB);
      expect(job?.data).toEqual({ alertId: id });
    } finally {
      // Left queued, a worker of another test on the default prefix would take it.
      await (await teamsQueue.getJob(jobId))?.remove().catch(() => undefined);
      await teamsQueue.close();
      await new AlertStore(redis).outbox(TEAMS_BOT_DESTINATION).delivered(id, 1);
      redis.disconnect();
    }
  });

  it('answers bad usage with status 2', async () => {
    const run = await runCliInProcess(['alerts', 'evaluate', '--bogus'], env);
    expect(run.code).toBe(2);
  });
}, ['moto', 'redis']);
