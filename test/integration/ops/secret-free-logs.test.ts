import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { secretValues } from '../../../src/config/redact.js';
import { createLogger } from '../../../src/lib/logger.js';
import { startBot, type BotHandle } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices, redisUrl } from '../../helpers/services.js';
import { postSigned } from '../../helpers/slack-sign.js';
import { SIGNING_SECRET, slashCommandBody, testConfig } from '../slack/harness.js';

const BOT_TOKEN = 'xoxb-2468-1357-LogScrubbingBotToken';
const AWS_KEY_ID = 'AKIAIOSFODNN7LOGTEST';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYLOGSECRET';
/** The verification token in Slack's slash command body (the fixture's), legacy but still a secret. */
const VERIFICATION_TOKEN = 'gIkuvaNzQIHg97ATvDxqgjtO';

// Requests that carry every secret the bot holds, through the real Bolt app with signed
// requests, at debug level; then no captured line may contain any of them.
describeWithServices('log lines while requests carry tokens', () => {
  const bucket = uniqueBucketName('logs');
  // Configured but never created: calls on it fail, and the SDK logs their input.
  const missing = uniqueBucketName('logs-missing');
  const saved = { ...process.env };
  const lines: string[] = [];
  let slack: FakeSlack;
  let bot: BotHandle;

  beforeAll(async () => {
    await createBucket(bucket);
    slack = await startFakeSlack();
    const env: Record<string, string> = { ...awsTestEnv(), AWS_ACCESS_KEY_ID: AWS_KEY_ID, AWS_SECRET_ACCESS_KEY: AWS_SECRET };
    Object.assign(process.env, env);
    const config = testConfig([{ name: bucket, alias: 'docs' }, { name: missing, alias: 'gone' }], {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: redisUrl(),
      AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL!,
    });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'trace', destination, secrets: secretValues({ ...env, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }) });
    // auth.test fails first with an error that echoes the token (as a proxy might), and is logged.
    slack.failWith('auth.test', `invalid_auth for ${BOT_TOKEN}`, 1);
    bot = await startBot(config, logger, { port: 0, handleSignals: false });
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
    process.env = saved;
  });

  it('contains no token, signing secret or AWS key, and the request’s lines carry its request id', async () => {
    const url = `http://127.0.0.1:${bot.port}`;
    // A response_url that cannot be reached and has secrets in it: its failure is logged with the URL.
    const unreachable = `http://127.0.0.1:1/respond?token=${BOT_TOKEN}&secret=${encodeURIComponent(SIGNING_SECRET)}&key=${encodeURIComponent(AWS_SECRET)}`;
    const ack = await postSigned(`${url}/slack/events`, slashCommandBody(`status docs`, unreachable), { signingSecret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    // Input that echoes the secrets back, answered in the acknowledgement.
    const echo = await postSigned(`${url}/slack/events`, slashCommandBody(`status ${BOT_TOKEN} ${SIGNING_SECRET} ${AWS_SECRET}`, slack.responseUrl().url), { signingSecret: SIGNING_SECRET });
    expect(echo.status).toBe(200);
    // A pasted token as user input, on a bucket whose AWS calls fail and are logged with their input.
    const pasted = await postSigned(`${url}/slack/events`, slashCommandBody(`uploads gone --prefix ${BOT_TOKEN}/${SIGNING_SECRET}/${AWS_SECRET}`, slack.responseUrl().url), { signingSecret: SIGNING_SECRET });
    expect(pasted.status).toBe(200);
    // A request with a bad signature, which Bolt logs and refuses.
    const forged = await postSigned(`${url}/slack/events`, slashCommandBody(`status ${BOT_TOKEN}`, unreachable), { signingSecret: SIGNING_SECRET, signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);

    await expect.poll(() => lines.some((l) => l.includes('could not answer through response_url')), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => lines.some((l) => l.includes('NoSuchBucket')), { timeout: 20_000 }).toBe(true);
    const all = lines.join('');
    // Secrets did reach log lines (auth.test's error echoes the token), and were scrubbed there.
    expect(all).toContain('[redacted]');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, AWS_SECRET, AWS_KEY_ID, VERIFICATION_TOKEN, encodeURIComponent(AWS_SECRET)]) {
      expect(all).not.toContain(secret);
    }
    const failed = JSON.parse(lines.find((l) => l.includes('could not answer through response_url'))!) as Record<string, unknown>;
    expect(failed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.verb).toBe('status');
  });
});
