// An access log the role may not read is said once for the access-denied alert, not once per bucket per tick.
import { describe, expect, it } from 'vitest';
import { gatherAccessLogs } from '../../../src/alerts/gather-access-logs.js';
import { sourceProblems } from '../../../src/alerts/source-problems.js';
import { bucketRules } from '../../../src/alerts/rules/index.js';
import { toUserFacingError } from '../../../src/aws/errors.js';
import type { LogObjectsPort } from '../../../src/aws/ports.js';
import { createLogger } from '../../../src/lib/logger.js';
import { testConfig } from '../../helpers/config.js';
import { memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';

const MINUTE = 60_000;
const config = testConfig({ buckets: [{ name: 'docs-a' }, { name: 'docs-b' }], budget: { monthlyUsd: 200 }, alerts: { repeatHours: 4 } });
const logging = Object.fromEntries(config.buckets.map((b) => [b.name, { logging: { targetBucket: 'access-logs', targetPrefix: `${b.name}/`, partitioned: false }, region: null, problem: null }]));

describe('an access log refused to the access-denied alert', () => {
  it('is one warning over many ticks of every bucket, and one line when it reads again', async () => {
    const lines: { level: number; msg: string; subjects?: string[] }[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } as unknown as NodeJS.WritableStream });
    let nowMs = Date.parse('2026-12-03T12:00:00Z');
    let granted = false;
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const objects: LogObjectsPort = {
      async *list(bucket) {
        if (!granted) throw toUserFacingError(denied, { service: 'S3', operation: 'ListObjectsV2', bucket });
        yield { objects: [], commonPrefixes: [] };
      },
      read: async () => (async function* () {})(),
    };
    const deps = { config, ports: { objects, countsCache: memoryCache() }, rules: bucketRules(), logger, problems: sourceProblems('accessLogs', logger, config, () => nowMs) };
    for (let tick = 0; tick < 10; tick += 1, nowMs += MINUTE) {
      const inputs = await gatherAccessLogs(deps, config.buckets, new Date(nowMs), logging);
      expect(Object.values(inputs).map((i) => i.ok)).toEqual([false, false]);
    }
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: expect.stringContaining('could not read the access log'), subjects: ['docs-a', 'docs-b'] });
    granted = true;
    for (let tick = 0; tick < 3; tick += 1, nowMs += MINUTE) await gatherAccessLogs(deps, config.buckets, new Date(nowMs), logging);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(lines.filter((l) => l.level === 30).map((l) => l.msg)).toEqual(['the access log reads again for the access-denied alert']);
  });
});
