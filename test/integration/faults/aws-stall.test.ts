import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AWS_CALL_DEADLINE_MS, COMMAND_DEADLINE_MS } from '../../../src/aws/deadlines.js';
import { BUSY_TEXT } from '../../../src/slack/replies.js';
import type { FaultProxy } from '../../helpers/fault-proxy.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { startBotBehindProxy, type BotBehindProxy, type TimedAnswer } from './bot-behind-proxy.js';

// Generous on a loaded 2-core machine: what matters is "seconds after the deadline", not "minutes".
const SLACK_MS = 4_000;

interface ReadyBody {
  status: string;
  checks: { aws?: { ok: boolean; error?: string; timingOut: string[] } };
}

// The real bot with its AWS endpoint behind a proxy the test stalls, throttles and releases.
describeWithServices('AWS stalls: answers within the deadline, readiness shows it, and the bot recovers', () => {
  const bucket = `stall-${Date.now().toString(36)}`;
  let env: BotBehindProxy;
  let proxy: FaultProxy;
  let url: string;
  const ask = (text: string, waitMs = COMMAND_DEADLINE_MS + SLACK_MS * 3): Promise<TimedAnswer> => env.ask(text, waitMs);
  const ready = async (): Promise<{ status: number; body: ReadyBody }> => {
    const response = await fetch(`${url}/readyz`);
    return { status: response.status, body: (await response.json()) as ReadyBody };
  };
  const metric = async (line: RegExp): Promise<number | undefined> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const found = text.split('\n').find((l) => line.test(l));
    return found === undefined ? undefined : Number(found.split(' ').at(-1));
  };

  beforeAll(async () => {
    const clients = createTestAwsClients();
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(new CreateBucketCommand({ Bucket: `${bucket}-other` }));
    clients.release();
    env = await startBotBehindProxy([{ name: bucket, alias: 'docs' }, { name: `${bucket}-other`, alias: 'other' }]);
    ({ proxy, url } = env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  // Each question below is asked once before the recovery, so none is answered from the pool's
  // reuse window: a partial answer (or a failure) is never kept for reuse.
  it('answers normally while AWS answers', async () => {
    const answer = await ask('uploads docs --limit 2');
    expect(answer.text).toContain('docs');
    expect(answer.text).not.toContain('did not answer');
    expect((await ready()).body.status).toBe('ready');
  });

  it('with CloudWatch stalled, answers status within the call deadline with the S3 facts, naming CloudWatch; /readyz and /metrics show it', async () => {
    proxy.set({ kind: 'stall' }, ['monitoring']);
    const answer = await ask('status docs');
    expect(answer.text).toContain(`CloudWatch did not answer within ${AWS_CALL_DEADLINE_MS / 1000} s`);
    expect(answer.text).toContain('Versioning');
    expect(answer.ms).toBeLessThan(AWS_CALL_DEADLINE_MS + SLACK_MS);

    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.aws).toMatchObject({ ok: false, error: 'CloudWatch timing out', timingOut: ['aws_cloudwatch'] });
    expect(await metric(/^s3chatops_aws_timeouts_total\{service="aws_cloudwatch"\}/)).toBeGreaterThanOrEqual(1);
    expect(await metric(/^s3chatops_aws_timeouts_total\{service="aws_s3"\}/)).toBe(0);
    expect(await metric(/^s3chatops_aws_timing_out\{service="aws_cloudwatch"\}/)).toBe(1);
  });

  it('with every AWS call stalled, answers more commands than the pool runs at once, each within its deadline, none refused as busy', async () => {
    proxy.set({ kind: 'stall' });
    // Distinct questions, so none shares another's computation; the pool runs 4 at once.
    const questions = ['errors docs', 'errors docs --since 1h', 'errors docs --since 7d', 'costs', 'costs --days 7', 'uploads docs', 'uploads docs --limit 5'];
    const t0 = performance.now();
    const answers = await Promise.all(questions.map((q) => ask(q, 3 * (COMMAND_DEADLINE_MS + SLACK_MS))));
    const wall = performance.now() - t0;
    for (const answer of answers) {
      expect(answer.text).not.toContain(BUSY_TEXT);
      expect(answer.text).toMatch(/(S3|CloudWatch|Cost Explorer) did not answer within \d+ s/);
    }
    // Two rounds of at most the command deadline (plus its second of grace) each.
    expect(wall).toBeLessThan(2 * (COMMAND_DEADLINE_MS + 1_000) + SLACK_MS * 2);
    const degraded = (await ready()).body;
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks.aws?.timingOut).toEqual(expect.arrayContaining(['aws_s3', 'aws_cloudwatch']));
  });

  it('once AWS answers again, the next command is answered normally and readiness is back, with no restart', async () => {
    proxy.set({ kind: 'pass' });
    // Asked during the stall too: its partial answer was not kept, so this one is computed now.
    const answer = await ask('status docs');
    expect(answer.text).not.toContain('reused');
    expect(answer.text).toContain('S3 status: docs');
    expect(answer.text).not.toContain('did not answer');
    expect(answer.ms).toBeLessThan(SLACK_MS);
    // Every service stalled has answered once since: none is timing out any more.
    expect((await ask('costs --days 14')).text).not.toContain('did not answer');
    expect((await ready()).body).toMatchObject({ status: 'ready', checks: { aws: { ok: true, timingOut: [] } } });
    expect(await metric(/^s3chatops_aws_timing_out\{service="aws_cloudwatch"\}/)).toBe(0);
  });

  it('S3 answering 503 SlowDown and CloudWatch throttling get a clear message after the retries, and no crash', async () => {
    proxy.set({ kind: 'slow-down' }, ['s3']);
    const uploads = await ask('uploads docs --limit 3');
    expect(uploads.text).toContain('S3 is throttling requests (ListObjectsV2)');

    proxy.set({ kind: 'throttling' }, ['monitoring']);
    const errors = await ask('errors docs --since 7d');
    expect(errors.text).toContain('CloudWatch is throttling requests (GetMetricData)');
    // Throttling is not a timeout: readiness does not call it one.
    expect((await ready()).body.checks.aws?.timingOut ?? []).not.toContain('aws_cloudwatch');

    proxy.set({ kind: 'pass' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await ask('errors docs --since 1h')).text).not.toContain('throttling');
  });

  it('CloudWatch resetting connections leaves status partial, naming it; a slow but answering AWS gets a whole answer', async () => {
    proxy.set({ kind: 'reset' }, ['monitoring']);
    // Another bucket: the status of docs answered whole above is within the reuse window.
    const reset = await ask('status other');
    expect(reset.text).toContain('CloudWatch did not answer in time (GetMetricData)');
    expect(reset.text).toContain('Versioning');

    proxy.set({ kind: 'slow', delayMs: 300 });
    const slow = await ask('status other');
    expect(slow.text).toContain('S3 status: other');
    expect(slow.text).not.toContain('did not answer');
    proxy.set({ kind: 'pass' });
  });
});
