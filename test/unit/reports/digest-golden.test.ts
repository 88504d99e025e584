/**
 * Golden files of the daily digest, for one bucket (one message) and for 200 (a summary and its
 * thread). Update with `npx vitest run test/unit/reports/digest-golden.test.ts -u` and review the diff;
 * paste any one message's JSON into Block Kit Builder to look at it.
 */
import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../../src/render/slack/index.js';
import { buildDigest } from '../../../src/reports/digest/build.js';
import { renderThreadText } from '../../../src/render/text/thread.js';
import type { DigestReport } from '../../../src/reports/digest/types.js';
import { fleetDigest } from './digest-fixtures.js';

async function golden(name: string, report: DigestReport): Promise<void> {
  const slack = { main: renderSlack(report.main), thread: report.thread.map((m) => renderSlack(m)) };
  await expect(`${JSON.stringify(slack, null, 2)}\n`).toMatchFileSnapshot(`../../golden/${name}.slack.json`);
  await expect(renderThreadText(report)).toMatchFileSnapshot(`../../golden/${name}.txt`);
}

describe('digest golden files', () => {
  it('one bucket: one message', async () => golden('digest-1-bucket', buildDigest(await fleetDigest(1))));
  it('200 buckets: a summary and 20 thread replies', async () => golden('digest-200-buckets', buildDigest(await fleetDigest(200))));
});
