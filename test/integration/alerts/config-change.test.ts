// Three worker OS processes on one (private) Redis, ticking every second with each second a minute
// of the alert clock: a deploy role turns Block Public Access partly off, `config-change` fires once
// naming who did it, and resolves once when the setting is back; CloudTrail is the emulator's,
// recorded from the S3 calls made here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../helpers/fake-slack.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { awsTestEnv, describeWithServices } from '../../helpers/services.js';
import { DEPLOY_ROLE, s3As } from '../../helpers/trail.js';
import { elapse } from '../../helpers/wait.js';

const CHILD = new URL('../worker/worker-child.ts', import.meta.url).pathname;
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

interface LogLine {
  msg: string;
  alert?: string;
  kind?: string;
  version?: number;
}

describeWithServices('config-change alert with three worker processes', () => {
  const bucket = uniqueBucketName('cfg-change');
  const alertId = `config-change:${bucket}`;
  let redis: PrivateRedis;
  let slack: FakeSlack;
  const children: ChildProcess[] = [];
  const lines: LogLine[] = [];
  let firedCall: RecordedCall;
  let resolvedCall: RecordedCall;

  const meta = (call: RecordedCall) => (call.body.metadata as { event_payload?: { alert_id: string; version: number; kind: string } } | undefined)?.event_payload;
  const mainCalls = () => slack.calls.filter((c) => ((c.method === 'chat.postMessage' && !c.body.thread_ts) || c.method === 'chat.update') && meta(c)?.alert_id === alertId);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    await createBucket(bucket, { publicAccessBlock: true });
    await s3As(DEPLOY_ROLE, '198.51.100.7').send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_ON, BlockPublicPolicy: false } }));

    const dir = mkdtempSync(join(tmpdir(), 's3-chatops-cfg-'));
    const configFile = join(dir, 's3-chatops.yml');
    writeFileSync(
      configFile,
      [
        'buckets:',
        `  - name: ${bucket}`,
        'channels:',
        '  alerts: C0ALERTS',
        'alerts:',
        '  messagesPerSecond: 20',
        '  thresholds:',
        '    error-rate: false',
        '    server-errors: false',
        '    latency: false',
        '    size-quota: false',
        '    no-request-metrics: false',
        '    access-denied: false',
        '    config-change:',
        '      allowPrincipals: ["assumed-role Scanner/*"]',
        '',
      ].join('\n'),
    );
    const simStart = Math.ceil(Date.now() / 1000) * 1000;
    const env = {
      ...process.env,
      ...awsTestEnv(),
      CONFIG_FILE: configFile,
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
      TEST_TICK_CRON: '* * * * * *',
      // Each real second is a minute of the alert clock from now: every tick reads CloudTrail afresh.
      TEST_SIM_START_MS: String(simStart),
      TEST_SIM_T0_MS: String(simStart),
      TEST_SIM_STEP_MS: '60000',
      TEST_QUEUE_PREFIX: `cfg${Date.now()}`,
      TEST_KEY_PREFIX: `cfg-${Date.now()}:`,
    };
    for (let i = 0; i < 3; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          try {
            lines.push(JSON.parse(part) as LogLine);
          } catch {
            // not a log line
          }
        }
      });
      child.stderr!.on('data', () => undefined);
      children.push(child);
    }

    firedCall = await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && meta(c)?.alert_id === alertId, 90_000);
    // Several more ticks with the change still standing: nothing more may be posted.
    await elapse(5_000);
    await restoreBlockPublicAccess(bucket);
    resolvedCall = await slack.waitFor((c) => c.method === 'chat.update' && meta(c)?.alert_id === alertId && meta(c)?.kind === 'resolved', 90_000);
    await elapse(3_000);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await slack?.stop();
    await redis?.destroy();
  });

  it('fires once, naming who changed what, from where and when', () => {
    const text = JSON.stringify(firedCall.body.blocks);
    expect(text).toContain('config-change firing');
    expect(text).toContain('Block Public Access: BlockPublicPolicy on → off');
    expect(text).toContain('`assumed-role Deploy/ci-1234` from 198.51.100.7 (SDK (JavaScript))');
    const fired = lines.filter((l) => l.msg === 'alert event' && l.alert === alertId && l.kind === 'fired');
    expect(fired).toHaveLength(1);
    expect(mainCalls().filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('resolves once when the setting is back, editing the same message', () => {
    expect(JSON.stringify(resolvedCall.body.blocks)).toContain('config-change resolved on');
    const events = lines.filter((l) => l.msg === 'alert event' && l.alert === alertId).map((l) => `${l.kind}@${l.version}`);
    expect(events).toEqual(['fired@1', 'resolved@2']);
    expect(mainCalls().map((c) => `${c.method}:${meta(c)!.kind}@${meta(c)!.version}`)).toEqual(['chat.postMessage:fired@1', 'chat.update:resolved@2']);
  });
}, ['moto', 'redis']);

/** Sets Block Public Access back on, as the test's own IAM user. */
async function restoreBlockPublicAccess(bucket: string): Promise<void> {
  await s3As({ type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' }, '192.0.2.44').send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: ALL_ON }));
}
