/** `/s3 errors` and `/s3 uploads` when one of their sources does not answer in time: the rest is shown, and what did not answer is named. */
import { describe, expect, it } from 'vitest';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';
import { deadlineSecondsOf, notAnsweredError } from '../../../src/aws/deadlines.js';
import type { AwsPorts, BucketFacts, CallOptions, MetricsPort } from '../../../src/aws/ports.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { isPartial } from '../../../src/reports/unanswered.js';
import { buildUploads, gatherUploads, UPLOADS_FACTS_WAIT_MS } from '../../../src/reports/uploads.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';
import { NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { fakeMetrics, requestSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { surgicalObjects } from '../../fixtures/reports/listing.js';
import { dayOfRequests } from '../../fixtures/reports/scenarios.js';

const DAY = 24 * 3600_000;
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** The surgical bucket's log (as `wellKeptFacts` configures it) with two 403s from one requester an hour ago. */
function logWithTwo403s(): MemoryLogBucket {
  const bucket = new MemoryLogBucket('surgicase-access-logs');
  const name = SURGICAL_BUCKET.name;
  const delivered = minutesAgo(40);
  const folder = `surgical-docs/123456789012/us-east-1/${name}/${delivered.toISOString().slice(0, 10).replaceAll('-', '/')}/`;
  const lines = [80, 60].map((m) => logLine({ bucket: name, at: minutesAgo(m), operation: 'REST.GET.OBJECT', key: 'private/hr.xlsx', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }));
  bucket.put(`${folder}${deliveryStamp(delivered)}-7C1B5E2A9F0D3E61`, `${lines.join('\n')}\n`, delivered);
  return bucket;
}

/** A port call that never answers until its caller's signal aborts, then fails the way a deadline makes it. */
function stalled(service: 'CloudWatch' | 'S3', operation: string, options: CallOptions | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const signal = options?.signal ?? AbortSignal.timeout(50);
    signal.addEventListener('abort', () => reject(notAnsweredError(service, operation, signal, signal.reason)), { once: true });
  });
}

const cloudWatchTimingOut: MetricsPort = {
  getMetricData: () => Promise.reject(notAnsweredError('CloudWatch', 'GetMetricData', AbortSignal.abort(), undefined)),
};

function portsWith(log: MemoryLogBucket, extra: Parameters<typeof fakePorts>[0]): AwsPorts {
  return { ...fakePorts({ facts: () => wellKeptFacts(), ...extra }), accessLogs: { objects: log, countsCache: memoryCache() } };
}

describe('errors with one source not answering', () => {
  it('with CloudWatch not answering, shows the access log split and names CloudWatch, and is not reused', async () => {
    const data = await gatherErrors(portsWith(logWithTwo403s(), { metrics: cloudWatchTimingOut }), SURGICAL_BUCKET, NOW, DAY);
    const report = buildErrors(data);
    const text = renderText(report.message);
    expect(text).toContain('403 AccessDenied ×2');
    expect(text).toContain('assumed-role Contractor/laptop-7');
    expect(text).toContain('CloudWatch did not answer within 6 s (GetMetricData)');
    // Unknown figures are not shown as zeros.
    expect(text).not.toContain('No requests in the last');
    expect(text).not.toContain('Error rate');
    expect(report.message.summary).toBe('surgical-docs: CloudWatch did not answer; 2 4xx in the access log over the last 24h');
    expect(isPartial(report)).toBe(true);
  });

  it('with the access log not answering, shows the CloudWatch figures and names S3 for the split, and is not reused', async () => {
    const log = logWithTwo403s();
    const deadline = new AbortController();
    log.read = (_bucket: string, key: string, options?: CallOptions) => stalled('S3', `GetObject ${key}`, options ?? { signal: deadline.signal });
    setTimeout(() => deadline.abort(), 20);
    const metrics = fakeMetrics(requestSource(SURGICAL_BUCKET.name, dayOfRequests));
    const data = await gatherErrors(portsWith(log, { metrics }), SURGICAL_BUCKET, NOW, DAY);
    const report = buildErrors(data);
    const text = renderText(report.message);
    expect(text).toContain('Error rate');
    expect(text).toContain('Did not answer');
    expect(text).toMatch(/The split of 4xx by status and requester is left out: .*S3 did not answer within/);
    expect(text).not.toContain('No split of 4xx');
    expect(isPartial(report)).toBe(true);
  });

  it('with the logging configuration not answering, shows the CloudWatch figures and names S3 for the split, and is not reused', async () => {
    const metrics = fakeMetrics(requestSource(SURGICAL_BUCKET.name, dayOfRequests));
    const stalledLogging = (): BucketFacts => ({
      ...wellKeptFacts(),
      logging: null,
      problems: [{ fact: 'logging', message: 'S3 did not answer within 6 s (GetBucketLogging); try again in a minute.' }],
    });
    const report = buildErrors(await gatherErrors(portsWith(logWithTwo403s(), { facts: stalledLogging, metrics }), SURGICAL_BUCKET, NOW, DAY));
    const text = renderText(report.message);
    expect(text).toContain('Error rate');
    expect(text).toMatch(/The split of 4xx by status and requester is left out: .*S3 did not answer within 6 s \(GetBucketLogging\)/);
    expect(isPartial(report)).toBe(true);
  });

  it('when every source answered, is whole and reusable', async () => {
    const metrics = fakeMetrics(requestSource(SURGICAL_BUCKET.name, dayOfRequests));
    const report = buildErrors(await gatherErrors(portsWith(logWithTwo403s(), { metrics }), SURGICAL_BUCKET, NOW, DAY));
    expect(renderText(report.message)).not.toContain('did not answer');
    expect(isPartial(report)).toBe(false);
  });
});

describe('uploads with the logging configuration not answering', () => {
  it('waits for it only its share of the command, then answers from the listing, naming S3', async () => {
    const ports = portsWith(logWithTwo403s(), { listing: () => ({ objects: surgicalObjects(2, NOW), scanned: 2, truncated: false }) });
    let waitedMs = 0;
    ports.facts = {
      getFacts: (bucket, options) =>
        new Promise<BucketFacts>((resolve) => {
          const t0 = performance.now();
          // As the S3 facts port does: a fact not answered by the signal's abort is a problem, the others are kept.
          options!.signal!.addEventListener('abort', () => {
            waitedMs = performance.now() - t0;
            const seconds = deadlineSecondsOf(options!.signal!, 6_000);
            resolve({ ...wellKeptFacts(), bucket, logging: null, problems: [{ fact: 'logging', message: `S3 did not answer within ${seconds} s (GetBucketLogging); try again in a minute.` }] });
          });
        }),
    };
    const data = await gatherUploads(ports, SURGICAL_BUCKET, NOW, { limit: 10, scanBudget: 10_000 });
    expect(data.objects).toHaveLength(2);
    // Its own share, not the whole call deadline (a generous bound: a loaded machine is slow, not 3 s slow).
    expect(waitedMs).toBeGreaterThanOrEqual(UPLOADS_FACTS_WAIT_MS - 50);
    expect(waitedMs).toBeLessThan(UPLOADS_FACTS_WAIT_MS + 2_000);
    const report = buildUploads(data);
    const text = renderText(report.message);
    expect(text).toContain('From a listing of the bucket, not its access log.');
    expect(text).toContain(`S3 did not answer within ${UPLOADS_FACTS_WAIT_MS / 1000} s (GetBucketLogging)`);
    expect(isPartial(report)).toBe(true);
  });
});
