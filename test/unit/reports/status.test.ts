import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildStatus, STATUS_REQUEST_PERIOD } from '../../../src/reports/status.js';
import { bareFacts, NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { brandNew, partlyReadable, statusScenario, wellKept } from '../../fixtures/reports/scenarios.js';

describe('gatherStatus', () => {
  it('reads facts and metrics concurrently, all metrics in one GetMetricData call', async () => {
    const { metrics, ports } = await wellKept();
    expect(ports.asked.facts).toEqual([SURGICAL_BUCKET.name]);
    expect(metrics.calls).toHaveLength(1);
    const [call] = metrics.calls;
    const names = new Set(call?.queries.map((q) => `${q.metricName}/${q.dimensions.map((d) => d.value).join('/')}`));
    expect(names).toContain(`BucketSizeBytes/${SURGICAL_BUCKET.name}/StandardStorage`);
    expect(names).toContain(`BucketSizeBytes/${SURGICAL_BUCKET.name}/DeepArchiveStorage`);
    expect(names).toContain(`NumberOfObjects/${SURGICAL_BUCKET.name}/AllStorageTypes`);
    expect(names).toContain(`AllRequests/${SURGICAL_BUCKET.name}/EntireBucket`);
    expect(names).toContain(`5xxErrors/${SURGICAL_BUCKET.name}/EntireBucket`);
    expect(call?.queries.every((q) => q.namespace === 'AWS/S3' && /^[a-z][a-z0-9_]*$/.test(q.id))).toBe(true);
    expect(new Set(call?.queries.map((q) => q.id)).size).toBe(call?.queries.length);
    expect(call?.range.end.toISOString()).toBe('2026-11-26T16:36:00.000Z');
    expect(call?.range.start.toISOString()).toBe('2026-11-18T16:36:00.000Z');
  });

  it('reads size, objects, the day they are from and the change over 7 days', async () => {
    const { data } = await wellKept();
    expect(data.storage.asOf).toBe('2026-11-26');
    expect(data.storage.totalBytes).toBeCloseTo(51.2e9, -6);
    expect(data.storage.objects).toBe(48_213);
    expect(data.storage.change).toEqual({ days: 7, bytes: expect.closeTo(7 * 0.35e9, -6), objects: 7 * 212 });
    expect(data.storage.byClass.map((c) => c.storageClass)).toEqual(['STANDARD', 'INTELLIGENT_TIERING', 'GLACIER_IR']);
  });

  it('sums the last hour of requests and errors when request metrics are on', async () => {
    const { data } = await wellKept();
    expect(data.requestMetrics).toBe('enabled');
    // The last hourly period of 8 days (192 periods) has index 191.
    expect(data.lastHour).toMatchObject({ requests: 1800 + (191 % 5) * 40, errors4xx: 12 + (191 % 3), errors5xx: 0 });
    expect(STATUS_REQUEST_PERIOD).toBe(3600);
  });

  it('leaves the last hour out where request metrics are off', async () => {
    const { data } = await statusScenario({ ...wellKeptFacts(), metricsConfigurations: [] });
    expect(data.requestMetrics).toBe('disabled');
    expect(data.lastHour).toBeNull();
  });

  it('trusts datapoints where the metrics configuration could not be read', async () => {
    const { data } = await partlyReadable();
    expect(data.requestMetrics).toBe('enabled');
    const { data: silent } = await statusScenario(
      { ...bareFacts(), problems: [{ fact: 'metricsConfigurations', message: 'denied' }] },
      { requests: false },
    );
    expect(silent.requestMetrics).toBe('unknown');
  });
});

describe('buildStatus', () => {
  it('shows the figures, the properties, the lifecycle rules and no findings for a well-kept bucket', async () => {
    const { message, data } = buildStatus((await wellKept()).data);
    const text = renderText(message);
    expect(text).toContain('S3 status: surgical-docs');
    expect(text).toContain('48,213 (+1,484 in 7 d)');
    expect(text).toContain('51.2 GB (+2.5 GB in 7 d)');
    expect(text).toContain('Storage metrics from: 2026-11-26');
    expect(text).toContain('SSE-KMS (key arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-ef1234567890), bucket key on');
    expect(text).toContain('All four on');
    expect(text).toContain('Not public');
    expect(text).toContain('On → surgicase-access-logs/surgical-docs/ (partitioned)');
    expect(text).toContain('1 of 1 rules on → surgicase-docs-dr');
    expect(text).toContain('Transfer acceleration: Enabled');
    expect(text).toContain('expire-test-files, prefix _s3-chatops/test/: expire after 7 d');
    expect(text).toContain('No hygiene findings');
    expect(data.findings).toEqual([]);
    expect(message.summary).toBe('surgical-docs (amplify-surgicalcasemanag-surgicaldocsbucket5a7ebd-8usdadqv6nnp) · 48,213 objects, 51.2 GB · 0.8% errors in 1 h · no hygiene findings');
  });

  it('carries Refresh, Run test upload and Clean up test files buttons with the bucket name', async () => {
    const { message } = buildStatus((await wellKept()).data);
    const actions = message.blocks.find((b) => b.kind === 'actions');
    expect(actions).toEqual({
      kind: 'actions',
      buttons: [
        { actionId: 'status_refresh', label: 'Refresh', value: SURGICAL_BUCKET.name },
        { actionId: 'test_upload', label: 'Run test upload', value: SURGICAL_BUCKET.name },
        { actionId: 'cleanup_preview', label: 'Clean up test files', value: SURGICAL_BUCKET.name },
      ],
    });
  });

  it('says when there are no storage metrics yet, and lists the findings of a bare bucket', async () => {
    const { message, data } = buildStatus((await brandNew()).data);
    const text = renderText(message);
    expect(text).toContain('Objects:              no storage metrics yet');
    expect(text).toContain('CloudWatch has no storage metrics for this bucket yet');
    expect(text).toContain('Request metrics:      Off (no filter EntireBucket)');
    expect(text).not.toContain('Requests (1 h)');
    expect(text).toContain('Lifecycle rules: none');
    expect(data.findings.map((f) => f.id)).toContain('request-metrics-off');
    expect(text).toContain(`Hygiene findings (${data.findings.length})`);
    expect(message.summary).toContain('no storage metrics yet');
  });

  it('names the facts that could not be read, with the permission, and does not judge them', async () => {
    const { message, data } = buildStatus((await partlyReadable()).data);
    const text = renderText(message);
    expect(text).toContain('Could not read');
    expect(text).toContain('Default encryption: Access denied: the bot\'s role needs s3:GetEncryptionConfiguration on this bucket.');
    expect(text).toContain('Default encryption:    could not read');
    expect(data.findings.map((f) => f.id)).not.toContain('no-default-encryption');
    expect(data.findings.map((f) => f.id)).not.toContain('access-logging-off');
  });

  it('shows firing alerts where the alerts issue supplies them, and none when the list is empty', async () => {
    const { data } = await wellKept();
    const firing = buildStatus({ ...data, alerts: [{ rule: 'error-rate', severity: 'critical', text: 'Error rate 14.2% over 5 min (threshold 10%)', since: new Date('2026-11-26T16:20:00Z') }] });
    expect(renderText(firing.message)).toContain('✗ error-rate: Error rate 14.2% over 5 min (threshold 10%)');
    expect(firing.message.summary).toContain('1 alert firing');
    expect(renderText(buildStatus({ ...data, alerts: [] }).message)).toContain('No alerts firing');
    expect(renderText(buildStatus(data).message)).not.toContain('alerts firing');
  });

  it('stays within Slack limits with 500 lifecycle rules, keeping the buttons', async () => {
    const { data } = await wellKept();
    const rules = Array.from({ length: 500 }, (_, i) => ({
      id: `archive-case-batch-${i}`,
      enabled: i % 9 !== 0,
      prefix: `public/cases/batch-${i}/`,
      transitions: [{ days: 30, storageClass: 'GLACIER_IR' }],
      expirationDays: 2555,
    }));
    const { message } = buildStatus({ ...data, facts: { ...data.facts, lifecycleRules: rules } });
    const slack = renderSlack(message);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(slack.blocks.at(-1)?.type).toBe('actions');
    for (const b of slack.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(renderText(message)).toContain('Lifecycle rules (500)');
    expect(data.generatedAt).toEqual(NOW);
  });
});

describe('gatherStatus when CloudWatch does not answer in time', () => {
  it('answers with the S3 facts and names CloudWatch, with no made-up storage or request figures', async () => {
    const { UserFacingError } = await import('../../../src/lib/errors.js');
    const { fakePorts } = await import('../../fixtures/reports/ports.js');
    const { gatherStatus } = await import('../../../src/reports/status.js');
    const { isPartial } = await import('../../../src/reports/unanswered.js');
    const said = 'CloudWatch did not answer within 6 s (GetMetricData); try again in a minute.';
    const ports = fakePorts({
      facts: () => wellKeptFacts(),
      metrics: { getMetricData: () => Promise.reject(new UserFacingError('aws_timeout', said)) },
    });
    const report = buildStatus(await gatherStatus(ports, SURGICAL_BUCKET, NOW));
    expect(report.data.unanswered).toEqual([said]);
    expect(report.data.lastHour).toBeNull();
    expect(isPartial(report)).toBe(true);
    const text = renderText(report.message);
    expect(text).toContain(said);
    expect(text).toContain('Versioning');
    expect(text).not.toContain('no storage metrics yet');
    expect(text).not.toContain('S3 publishes them once a day');
  });

  it('still fails whole on an error that is not about time (access denied)', async () => {
    const { UserFacingError } = await import('../../../src/lib/errors.js');
    const { fakePorts } = await import('../../fixtures/reports/ports.js');
    const { gatherStatus } = await import('../../../src/reports/status.js');
    const ports = fakePorts({ facts: () => wellKeptFacts(), metrics: { getMetricData: () => Promise.reject(new UserFacingError('aws_access_denied', 'denied')) } });
    await expect(gatherStatus(ports, SURGICAL_BUCKET, NOW)).rejects.toThrow('denied');
  });
});

describe('buildStatus with facts S3 did not answer in time', () => {
  it('names them on one line with the sentence once, and keeps other problems on their own lines', async () => {
    const { data } = await wellKept();
    const stalled = (fact: 'region' | 'versioning' | 'encryption', op: string) => ({ fact, message: `S3 did not answer within 6 s (${op}); try again in a minute.` });
    const facts = {
      ...data.facts,
      problems: [stalled('region', 'GetBucketLocation'), stalled('versioning', 'GetBucketVersioning'), { fact: 'logging' as const, message: 'AWS denied GetBucketLogging.' }, stalled('encryption', 'GetBucketEncryption')],
    };
    const text = renderText(buildStatus({ ...data, facts }).message);
    expect(text.match(/did not answer within 6 s/g)).toHaveLength(1);
    expect(text).toMatch(/Region, Versioning, Default encryption.*S3 did not answer within 6 s; try again in a minute\./);
    expect(text).toContain('AWS denied GetBucketLogging.');
  });
});
