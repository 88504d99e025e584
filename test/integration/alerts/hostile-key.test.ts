/**
 * Issue 12, end to end: an anonymous 403 on a key that carries a mention, a link and terminal
 * escape sequences. `alerts evaluate --post` posts the access-denied alert to the fake Slack and
 * the fake Teams webhook with no mention and no link from the key, and the terminal, like
 * `uploads`, prints the key's escape sequences visibly, never raw.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../../helpers/fake-teams.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { logObjectKey, putLogObjects } from '../access-logs/seed-logs.js';
import { runCliInProcess } from '../cli/run.js';

const MINUTE = 60_000;
const SIG = 'aG9zdGlsZS1rZXktdGVzdC1zaWduYXR1cmUtb2YtdGhlLXdlYmhvb2s';
/** The key of the issue, with a terminal title change and a screen clear after it. */
const HOSTILE_KEY = 'a`b <@U0VICTIM> please re-login [here](https://evil.example/sso) \u001b]0;pwned\u0007\u001b[2J';
/** How S3 writes a key in a log line: URL-encoded. */
const logged = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/');

describeWithServices('a hostile key in the access log reaches Slack, Teams and the terminal as data', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let env: Record<string, string>;
  const logBucket = uniqueBucketName('hostile-logs');
  const bucket = uniqueBucketName('hostile-src');
  const clients = createTestAwsClients();

  beforeAll(async () => {
    slack = await startFakeSlack();
    teams = await startFakeTeams();
    await createBucket(bucket, { logging: { targetBucket: logBucket, targetPrefix: 'logs/' } });
    const now = Date.now();
    const ago = (m: number) => new Date(now - m * MINUTE);
    await putLogObjects(clients.s3, logBucket, [
      {
        key: logObjectKey({ prefix: 'logs/', partitioned: false, sourceBucket: bucket }, ago(3)),
        body: `${[
          logLine({ bucket, at: ago(10), operation: 'REST.GET.OBJECT', key: logged(HOSTILE_KEY), status: 403, error: 'AccessDenied', requester: null, ip: '198.51.100.7' }),
          logLine({ bucket, at: ago(8), operation: 'REST.PUT.OBJECT', key: logged(HOSTILE_KEY), status: 200, size: 12, requester: null, ip: '198.51.100.7' }),
        ].join('\n')}\n`,
      },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 's3-chatops-hostile-')), 'config.yml');
    writeFileSync(file, `buckets:\n  - name: ${bucket}\n    alias: docs\n    thresholds:\n      access-denied:\n        count: 1\nchannels:\n  alerts: C0ALERTS\n`);
    env = { ...awsTestEnv(), CONFIG_FILE: file, REDIS_URL: redisUrl(), SLACK_BOT_TOKEN: 'xoxb-hostile', SLACK_API_URL: slack.apiUrl, TEAMS_WEBHOOK_URL: teams.url(SIG) };
  });

  afterAll(async () => {
    await slack?.stop();
    await teams?.stop();
    clients.release();
  });

  it('alerts evaluate --post: the alert names the key with no mention or link from it, in Slack and in Teams, and the verdict line shows the escapes', async () => {
    const run = await runCliInProcess(['alerts', 'evaluate', '--post'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/firing\s+access-denied on docs/);
    expect(run.stdout + run.stderr).not.toMatch(/[\u001b\u0007]/);
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J');

    const posts = slack.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('access-denied'));
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { text: string; blocks: unknown[] };
    const mrkdwn = [body.text, ...JSON.stringify(body.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g)!.map((t) => JSON.parse(t.slice(7)) as string)];
    const all = mrkdwn.join('\n');
    // Shown, escaped: the mention as text, the link as its characters.
    expect(all).toContain('&lt;@U0VICTIM&gt;');
    expect(all).toContain('evil.example/sso');
    expect(all).not.toContain('<@U0VICTIM>');
    expect(all).not.toMatch(/<https?:\/\/evil/);
    expect(all).not.toMatch(/[\u001b\u0007]/);
    expect(JSON.stringify(body.blocks)).not.toContain('"verbatim":false');

    const cards = teams.accepted.filter((c) => JSON.stringify(c.body).includes('access-denied'));
    expect(cards).toHaveLength(1);
    const card = JSON.stringify(cards[0]!.body);
    expect(card).toContain('U0VICTIM');
    // The bracket that would open a Markdown link is escaped, so Teams shows it as text.
    expect(card).not.toMatch(/(?<!\\\\)\[here\]\(https:\/\/evil/);
    expect(card).toMatch(/\\\\\[here\]/);
    expect(card).not.toMatch(/\\u001b|\\u0007/);
  });

  it('uploads: the terminal shows the key with its escape sequences visible, and --json keeps the key as it is', async () => {
    const run = await runCliInProcess(['uploads', 'docs', '--since', '1h'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
    const json = await runCliInProcess(['uploads', 'docs', '--since', '1h', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE_KEY).slice(1, -1));
  });
}, ['moto', 'redis']);
