import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import { underDeadline } from '../../../src/commands/deadline-context.js';
import { statusCommand } from '../../../src/commands/status.js';
import type { CommandContext } from '../../../src/commands/types.js';
import { uploadsCommand } from '../../../src/commands/uploads.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { renderText } from '../../../src/render/text/index.js';
import { testConfig } from '../../helpers/config.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';
import { NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { combine, fakeMetrics, requestSource, storageSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { hourlyRequests, SURGICAL_STORAGE } from '../../fixtures/reports/scenarios.js';

// What `/s3` in Slack and the Teams bot run: a command whose ports carry its deadline.
const context = (config: CommandContext['config'], aws: AwsPorts): CommandContext => underDeadline({ config, aws, now: () => NOW, logger: silentLogger() }, new AbortController().signal);

describe('a command under its deadline keeps what its ports can do', () => {
  it('the fleet status still marks a bucket S3 says does not exist', async () => {
    const config = testConfig([
      { name: SURGICAL_BUCKET.name, alias: 'surgical-docs' },
      { name: 'surgicase-deleted-bucket', alias: 'deleted' },
    ]);
    const ports = fakePorts({ metrics: fakeMetrics(combine(storageSource(SURGICAL_BUCKET.name, SURGICAL_STORAGE), requestSource(SURGICAL_BUCKET.name, hourlyRequests))) });
    const headed: string[] = [];
    ports.facts.exists = async (bucket) => (headed.push(bucket), bucket === SURGICAL_BUCKET.name);
    const report = await statusCommand.run(context(config, ports), { flags: {} });
    expect(headed).toEqual(['surgicase-deleted-bucket']);
    expect(renderText(report.message)).toContain('✗ deleted · does not exist in this AWS account');
  });

  it('uploads asked together read their access logs within the process’s shared slots', async () => {
    const sources = Array.from({ length: 5 }, (_, i) => `surgicase-source-${i}`);
    const logs = new MemoryLogBucket('surgicase-access-logs');
    for (const source of sources) {
      for (let h = 0; h < 6; h += 1) {
        const delivered = new Date(NOW.getTime() - h * 3_600_000 - 60_000);
        const line = logLine({ bucket: source, at: new Date(delivered.getTime() - 60_000), operation: 'REST.PUT.OBJECT', key: `cases/${h}.pdf`, status: 200, size: 10 });
        logs.put(`${source}/${deliveryStamp(delivered)}-${h}`, `${line}\n`, delivered);
      }
    }
    let inFlight = 0;
    let most = 0;
    // A read that stays open for a few turns of the event loop, as a GetObject does.
    const objects = {
      list: logs.list.bind(logs),
      async read(bucket: string, key: string) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return logs.read(bucket, key);
      },
    };
    const ports: AwsPorts = {
      ...fakePorts({ facts: (bucket) => ({ ...wellKeptFacts(bucket), logging: { targetBucket: logs.name, targetPrefix: `${bucket}/`, partitioned: false } }) }),
      accessLogs: { objects, countsCache: memoryCache(), readSlots: pLimit(2) },
    };
    const config = testConfig(sources.map((name) => ({ name })));
    const reports = await Promise.all(config.buckets.map((bucket) => uploadsCommand.run(context(config, ports), { bucket, flags: {} })));
    for (const report of reports) expect(renderText(report.message)).toContain('cases/5.pdf');
    expect(logs.reads).toHaveLength(sources.length * 6);
    expect(most).toBe(2);
  });
});
