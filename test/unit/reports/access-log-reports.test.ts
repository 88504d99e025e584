/** `/s3 uploads` and `/s3 errors` where the bucket's server access log can be read, and where it cannot. */
import { describe, expect, it } from 'vitest';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';
import type { AwsPorts, BucketFacts } from '../../../src/aws/ports.js';
import type { Message } from '../../../src/message/model.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { buildUploads, gatherUploads } from '../../../src/reports/uploads.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';
import { bareFacts, NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { fakeMetrics, requestSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { surgicalObjects } from '../../fixtures/reports/listing.js';
import { dayOfRequests } from '../../fixtures/reports/scenarios.js';

const APP = 'arn:aws:sts::123456789012:assumed-role/amplify-surgicase-App/i-0ab12cd34ef56789a';
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** The surgical bucket's partitioned log (as `wellKeptFacts` configures it): one object an hour ago, one two days ago. */
function surgicalLog(): MemoryLogBucket {
  const bucket = new MemoryLogBucket('surgicase-access-logs');
  const name = SURGICAL_BUCKET.name;
  const folder = (d: Date) => `surgical-docs/123456789012/us-east-1/${name}/${d.toISOString().slice(0, 10).replaceAll('-', '/')}/`;
  const put = (delivered: Date, lines: string[]) => bucket.put(`${folder(delivered)}${deliveryStamp(delivered)}-7C1B5E2A9F0D3E61`, `${lines.join('\n')}\n`, delivered);
  put(minutesAgo(40), [
    logLine({ bucket: name, at: minutesAgo(95), operation: 'REST.PUT.OBJECT', key: 'public/cases/case-048213/provider-payment.pdf', status: 200, size: 284_113, requester: APP, ip: '10.0.3.17' }),
    logLine({ bucket: name, at: minutesAgo(90), operation: 'REST.POST.UPLOAD', key: 'public/cases/case-048213/scan.tiff', status: 200, size: 48_300_000, requester: APP, ip: '10.0.3.17' }),
    logLine({ bucket: name, at: minutesAgo(80), operation: 'REST.PUT.OBJECT', key: 'public/cases/case-048214/notes%20v2.docx', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
    logLine({ bucket: name, at: minutesAgo(75), operation: 'REST.PUT.PART', key: 'public/cases/case-048215/video.mp4', status: 503, error: 'SlowDown', requester: APP, ip: '10.0.3.18' }),
    logLine({ bucket: name, at: minutesAgo(70), operation: 'REST.COPY.OBJECT', key: 'archive/case-048001.pdf', status: 200, size: 120_000, requester: ALICE, ip: '198.51.100.7' }),
    logLine({ bucket: name, at: minutesAgo(65), operation: 'REST.GET.OBJECT', key: 'public/cases/none.pdf', status: 404, error: 'NoSuchKey', requester: ALICE, ip: '198.51.100.7' }),
    logLine({ bucket: name, at: minutesAgo(60), operation: 'REST.GET.OBJECT', key: 'private/hr.xlsx', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
    logLine({ bucket: name, at: minutesAgo(55), operation: 'REST.GET.OBJECT', key: 'public/cases/case-048213/provider-payment.pdf', status: 200, requester: null, ip: '192.0.2.50' }),
  ]);
  put(minutesAgo(48 * 60), [logLine({ bucket: name, at: minutesAgo(48 * 60 + 10), operation: 'REST.PUT.OBJECT', key: 'old.pdf', status: 200, size: 1 })]);
  return bucket;
}

function portsWith(facts: BucketFacts, log: MemoryLogBucket, extra: Parameters<typeof fakePorts>[0] = {}): AwsPorts {
  return { ...fakePorts({ facts: () => facts, ...extra }), accessLogs: { objects: log, countsCache: memoryCache() } };
}

async function golden(name: string, message: Message): Promise<void> {
  await expect(`${JSON.stringify(renderSlack(message), null, 2)}\n`).toMatchFileSnapshot(`../../golden/${name}.slack.json`);
  await expect(renderText(message)).toMatchFileSnapshot(`../../golden/${name}.txt`);
}

describe('uploads from the access log', () => {
  it('shows each upload with its requester, IP and result, and marks failed uploads with their code', async () => {
    const log = surgicalLog();
    const data = await gatherUploads(portsWith(wellKeptFacts(), log), SURGICAL_BUCKET, NOW, { limit: 10, scanBudget: 10_000 });
    const uploads = data.accessLog!;
    expect(uploads.shown.map((u) => [u.key, u.requester, u.ip, u.failed ? u.error : u.status])).toEqual([
      ['archive/case-048001.pdf', 'user alice', '198.51.100.7', 200],
      ['public/cases/case-048215/video.mp4', 'assumed-role amplify-surgicase-App/i-0ab12cd34ef56789a', '10.0.3.18', 'SlowDown'],
      ['public/cases/case-048214/notes v2.docx', 'assumed-role Contractor/laptop-7', '203.0.113.9', 'AccessDenied'],
      ['public/cases/case-048213/scan.tiff', 'assumed-role amplify-surgicase-App/i-0ab12cd34ef56789a', '10.0.3.17', 200],
      ['public/cases/case-048213/provider-payment.pdf', 'assumed-role amplify-surgicase-App/i-0ab12cd34ef56789a', '10.0.3.17', 200],
    ]);
    expect(uploads).toMatchObject({ total: 5, failed: 2 });
    // The 24 h window reads one log object; the one delivered two days ago is not read.
    expect(log.reads).toHaveLength(1);
    const { message } = buildUploads(data);
    expect(message.summary).toBe(
      'surgical-docs: 5 uploads in the last 24h (2 failed), newest `archive/case-048001.pdf` by `user alice` at 2026-11-26 15:26 UTC',
    );
    await golden('uploads-access-log', message);
  });

  it('keeps only uploads under --prefix and at most --limit of them', async () => {
    const data = await gatherUploads(portsWith(wellKeptFacts(), surgicalLog()), SURGICAL_BUCKET, NOW, { limit: 2, prefix: 'public/', scanBudget: 10_000 });
    expect(data.accessLog?.total).toBe(4);
    expect(data.accessLog?.shown.map((u) => u.key)).toEqual(['public/cases/case-048215/video.mp4', 'public/cases/case-048214/notes v2.docx']);
  });

  it('falls back to the listing, and says why, when logging is off', async () => {
    const log = surgicalLog();
    const ports = portsWith(bareFacts(), log, { listing: () => ({ objects: surgicalObjects(2, NOW), scanned: 2, truncated: false }) });
    const data = await gatherUploads(ports, SURGICAL_BUCKET, NOW, { limit: 10, scanBudget: 10_000 });
    expect(data.accessLog).toBeUndefined();
    expect(data.objects).toHaveLength(2);
    expect(renderText(buildUploads(data).message)).toContain('From a listing of the bucket, not its access log: server access logging is off for this bucket.');
    expect(log.reads).toHaveLength(0);
  });

  it('falls back to the listing, and says why, when the log bucket cannot be read', async () => {
    const log = surgicalLog();
    log.list = async function* () {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    };
    const ports = portsWith(wellKeptFacts(), log, { listing: () => ({ objects: [], scanned: 0, truncated: false }) });
    const data = await gatherUploads(ports, SURGICAL_BUCKET, NOW, { limit: 10, scanBudget: 10_000 });
    expect(data.listingBecause).toContain('could not be read');
    expect(renderText(buildUploads(data).message)).toContain('From a listing of the bucket, not its access log');
  });
});

describe('errors with the access log', () => {
  it('splits 4xx by status and code and names the top requesters and IPs', async () => {
    const metrics = fakeMetrics(requestSource(SURGICAL_BUCKET.name, dayOfRequests));
    const data = await gatherErrors(portsWith(wellKeptFacts(), surgicalLog(), { metrics }), SURGICAL_BUCKET, NOW, 24 * 3600_000);
    expect(data.accessLog).toMatchObject({
      clientErrors: 3,
      serverErrors: 1,
      clientByCode: [
        { label: '403 AccessDenied', count: 2 },
        { label: '404 NoSuchKey', count: 1 },
      ],
      topRequesters: [
        { label: 'assumed-role Contractor/laptop-7', count: 2 },
        { label: 'user alice', count: 1 },
      ],
      topIps: [
        { label: '203.0.113.9', count: 2 },
        { label: '198.51.100.7', count: 1 },
      ],
    });
    await golden('errors-access-log', buildErrors(data).message);
  });

  it('gives the split even where request metrics are off', async () => {
    const facts = { ...wellKeptFacts(), metricsConfigurations: [] };
    const data = await gatherErrors(portsWith(facts, surgicalLog(), { metrics: fakeMetrics(() => []) }), SURGICAL_BUCKET, NOW, 24 * 3600_000);
    const text = renderText(buildErrors(data).message);
    expect(text).toContain('Request metrics are not enabled');
    expect(text).toContain('403 AccessDenied ×2');
  });

  it('says why there is no split when logging is off', async () => {
    const data = await gatherErrors(portsWith(bareFacts(), surgicalLog(), { metrics: fakeMetrics(() => []) }), SURGICAL_BUCKET, NOW, 24 * 3600_000);
    expect(renderText(buildErrors(data).message)).toContain('No split of 4xx by status and requester: server access logging is off for this bucket.');
  });
});
