// The digest's and the cleanup's Slack posts against the fake Slack over HTTP: both take the one
// factory's `background` client, so a stalled Slack is cut after that purpose's attempts (each at
// its deadline) instead of holding the job, and a 429 is waited out for its Retry-After within the
// call, then sent again once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackDigestPoster } from '../../../src/jobs/digest-poster.js';
import { cleanupMessenger } from '../../../src/jobs/cleanup-worker.js';
import { SLACK_RETRY_POLICIES } from '../../../src/notify/slack-client.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';

const message = { summary: 'S3 daily digest', blocks: [{ kind: 'text' as const, text: 'S3 daily digest' }] };
/** One attempt's deadline, shortened so the whole bound passes quickly; the retries are the purpose's own. */
const ATTEMPT_MS = 200;
const ATTEMPTS = (SLACK_RETRY_POLICIES.background.retries ?? 0) + 1;

describe('background Slack posts (digest, cleanup)', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  beforeEach(() => slack.reset());
  afterAll(async () => {
    await slack?.stop();
  });

  const paths = () => [
    { name: 'the digest', method: 'chat.postMessage', call: () => new SlackDigestPoster({ token: 'xoxb-digest', apiUrl: slack.apiUrl, timeoutMs: ATTEMPT_MS }).post('C0DIGEST', message) },
    { name: 'the cleanup', method: 'chat.update', call: () => cleanupMessenger('xoxb-cleanup', slack.apiUrl, undefined, ATTEMPT_MS).update({ channel: 'C0CLEAN', ts: '1772445600.000100' }, message) },
  ];

  for (const index of [0, 1]) {
    it(`${['the digest', 'the cleanup'][index]}: a Slack that takes the call and never answers is cut after the background attempts`, async () => {
      const path = paths()[index]!;
      slack.stall(path.method);
      await expect(path.call()).rejects.toThrow();
      expect(slack.callsOf(path.method)).toHaveLength(ATTEMPTS);
    }, 30_000);

    it(`${['the digest', 'the cleanup'][index]}: a 429 waits its Retry-After, then the post goes through once`, async () => {
      const path = paths()[index]!;
      slack.rateLimit(path.method, 1, 1);
      await path.call();
      const calls = slack.callsOf(path.method);
      expect(calls).toHaveLength(2);
      // The second try came no sooner than Retry-After (1 s) after the 429.
      expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_000);
    }, 30_000);
  }
});
