import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildUploads, gatherUploads } from '../../../src/reports/uploads.js';
import { NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';
import { surgicalObjects } from '../../fixtures/reports/listing.js';
import { fakePorts } from '../../fixtures/reports/ports.js';

const newest = new Date('2026-11-26T16:21:09Z');

describe('gatherUploads', () => {
  it('passes prefix, limit, since and the scan budget to the listing, and keeps the newest first', async () => {
    const objects = surgicalObjects(5, newest).reverse();
    const ports = fakePorts({ listing: () => ({ objects, scanned: 3120, truncated: false }) });
    const data = await gatherUploads(ports, SURGICAL_BUCKET, NOW, { prefix: 'public/', limit: 3, sinceMs: 24 * 3600_000, scanBudget: 10_000 });
    expect(ports.asked.listing).toEqual([
      { bucket: SURGICAL_BUCKET.name, options: { prefix: 'public/', limit: 3, scanBudget: 10_000, since: new Date('2026-11-25T16:36:27Z') } },
    ]);
    expect(data.objects.map((o) => o.lastModified.getTime())).toEqual([...data.objects.map((o) => o.lastModified.getTime())].sort((a, b) => b - a));
    expect(data.objects).toHaveLength(3);
    expect(data.objects[0]?.lastModified).toEqual(newest);
  });

  it('asks for the whole bucket and no time limit when no flags are given', async () => {
    const ports = fakePorts({ listing: () => ({ objects: [], scanned: 0, truncated: false }) });
    await gatherUploads(ports, SURGICAL_BUCKET, NOW, { limit: 10, scanBudget: 10_000 });
    expect(ports.asked.listing[0]?.options).toEqual({ limit: 10, scanBudget: 10_000 });
  });
});

describe('buildUploads', () => {
  const base = { bucket: { name: SURGICAL_BUCKET.name, alias: 'surgical-docs' }, generatedAt: NOW, prefix: null, limit: 10, since: null, sinceMs: null, scanBudget: 10_000 };

  it('lists key, size, time and storage class, and says how many keys it scanned', () => {
    const { message } = buildUploads({ ...base, objects: surgicalObjects(3, newest), scanned: 4212, truncated: false });
    const text = renderText(message);
    expect(text).toContain('2026-11-26 16:21     284.1 KB  STANDARD  public/cases/case-048213/document-1.pdf');
    expect(text).toContain('Newest 3, from 4,212 keys scanned');
    expect(text).not.toContain('scan budget');
    expect(message.summary).toBe('surgical-docs: 3 recent uploads, newest `public/cases/case-048213/document-1.pdf` at 2026-11-26 16:21 UTC');
  });

  it('says when the listing stopped at the scan budget', () => {
    const { message } = buildUploads({ ...base, objects: surgicalObjects(2, newest), scanned: 10_000, truncated: true });
    expect(renderText(message)).toContain('Stopped at the scan budget of 10,000 keys');
  });

  it('says so when nothing matches, naming the prefix and window', () => {
    const { message } = buildUploads({ ...base, prefix: 'private/', sinceMs: 3600_000, objects: [], scanned: 12, truncated: false });
    expect(renderText(message)).toContain('No objects under private/ in the last 1h among the 12 keys scanned.');
  });

  it('stays within Slack limits with 1,000 objects', () => {
    const { message } = buildUploads({ ...base, limit: 1000, objects: surgicalObjects(1000, newest), scanned: 10_000, truncated: true });
    const slack = renderSlack(message);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    // Every row is either shown or counted in the line saying what was left out.
    const json = JSON.stringify(slack.blocks);
    const shown = (json.match(/\\n2026-\d\d-\d\d \d\d:\d\d/g) ?? []).length;
    const leftOut = Number(/(\d+) table rows/.exec(json)?.[1] ?? 0);
    expect(shown + leftOut).toBe(1000);
    for (const b of slack.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });
});
