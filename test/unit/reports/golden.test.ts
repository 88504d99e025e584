/**
 * Golden files of what a person sees: the Block Kit JSON (paste it into Block Kit Builder) and
 * the terminal text of every report. Update with `npx vitest run test/unit/reports -u` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/message/model.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { badInput } from '../../../src/reports/bad-input.js';
import { buildCosts, gatherCosts } from '../../../src/reports/costs.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { buildHelp } from '../../../src/reports/help.js';
import { buildOverview, gatherOverview } from '../../../src/reports/overview.js';
import { buildStatus } from '../../../src/reports/status.js';
import { buildUploads, gatherUploads } from '../../../src/reports/uploads.js';
import { ARCHIVE_BUCKET, bareFacts, NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { COMMANDS } from '../../fixtures/reports/commands.js';
import { fakeCosts } from '../../fixtures/reports/costs.js';
import { surgicalObjects } from '../../fixtures/reports/listing.js';
import { combine, fakeMetrics, requestSource, storageSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { brandNew, dayOfRequests, hourlyRequests, partlyReadable, SURGICAL_STORAGE, wellKept } from '../../fixtures/reports/scenarios.js';

async function golden(name: string, message: Message): Promise<void> {
  await expect(`${JSON.stringify(renderSlack(message), null, 2)}\n`).toMatchFileSnapshot(`../../golden/${name}.slack.json`);
  await expect(renderText(message)).toMatchFileSnapshot(`../../golden/${name}.txt`);
}

const errorsMessage = async (facts = wellKeptFacts(), withData = true) => {
  const metrics = fakeMetrics(withData ? requestSource(SURGICAL_BUCKET.name, dayOfRequests) : () => []);
  return buildErrors(await gatherErrors(fakePorts({ facts: () => facts, metrics }), SURGICAL_BUCKET, NOW, 24 * 3600_000)).message;
};

describe('golden files', () => {
  it('status of a well-kept bucket', async () => golden('status', buildStatus((await wellKept()).data).message));
  it('status of a brand-new bucket', async () => golden('status-new-bucket', buildStatus((await brandNew()).data).message));
  it('status with facts that could not be read', async () => golden('status-unreadable', buildStatus((await partlyReadable()).data).message));

  it('overview', async () => {
    const metrics = fakeMetrics(
      combine(
        storageSource(SURGICAL_BUCKET.name, SURGICAL_STORAGE),
        requestSource(SURGICAL_BUCKET.name, hourlyRequests),
        storageSource(ARCHIVE_BUCKET.name, { bytes: { GlacierStorage: 1.9e12, StandardStorage: 2e9 }, objects: 1_204_118, dailyGrowthBytes: 0, dailyGrowthObjects: 0, days: 30 }),
      ),
    );
    const data = await gatherOverview(fakePorts({ metrics }), [SURGICAL_BUCKET, ARCHIVE_BUCKET], NOW, {
      alerts: { [ARCHIVE_BUCKET.name]: [{ rule: 'size-quota', severity: 'warning', text: 'Size 82% of quota', since: NOW }] },
    });
    await golden('overview', buildOverview(data).message);
  });

  it('uploads', async () => {
    const ports = fakePorts({ listing: (_b, o) => ({ objects: surgicalObjects(o.limit, new Date('2026-11-26T16:21:09Z')), scanned: 10_000, truncated: true }) });
    const data = await gatherUploads(ports, SURGICAL_BUCKET, NOW, { limit: 10, sinceMs: 24 * 3600_000, scanBudget: 10_000 });
    await golden('uploads', buildUploads(data).message);
  });

  it('errors with request metrics', async () => golden('errors', await errorsMessage()));
  it('errors without request metrics', async () => golden('errors-no-request-metrics', await errorsMessage(bareFacts(), false)));

  it('costs', async () => {
    const costs = fakeCosts({ until: '2026-11-26', forecast: 26.5, tagShares: { 'surgical-docs': 0.9 } });
    const raw = await gatherCosts(fakePorts({ costs }), { buckets: [SURGICAL_BUCKET, ARCHIVE_BUCKET], budget: { monthlyUsd: 200 } }, NOW);
    await golden('costs', buildCosts(raw).message);
  });

  it('help', async () => golden('help', buildHelp(COMMANDS).message));
  it('bad input', async () => golden('bad-input', badInput('No bucket is configured as `surgical-dcos`; configured: `surgical-docs`, `archive`.', ['/s3 status [bucket]', '/s3 uploads [bucket] [--prefix P] [--limit N] [--since 24h]'])));
});
