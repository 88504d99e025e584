// The demo's own emulator, seeded through the emulator seeding the tests use, read back by the
// product's commands: every report of the demo has something true to show.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../src/aws/clients.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { costsCommand } from '../../../src/commands/costs.js';
import { errorsCommand } from '../../../src/commands/errors.js';
import { statusCommand } from '../../../src/commands/status.js';
import type { CommandContext } from '../../../src/commands/types.js';
import { uploadsCommand } from '../../../src/commands/uploads.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { formatCount } from '../../../src/message/format.js';
import { DEMO } from '../../../src/playground/demo-seed.js';
import { DEMO_AWS_ENV, startDemoServices, type DemoServices } from '../../../src/playground/demo.js';
import { renderText } from '../../../src/render/text/index.js';
import { testConfig } from '../../helpers/config.js';
import { MemoryCache } from '../../helpers/memory-cache.js';
import { describeWithServices } from '../../helpers/services.js';

describeWithServices('the demo’s seeded emulator', () => {
  let demo: DemoServices;
  let clients: AwsClients;
  let ctx: CommandContext;
  const config = testConfig({ buckets: [{ name: DEMO.bucket, alias: DEMO.alias, requestMetricsFilterId: DEMO.filterId }], budget: { monthlyUsd: 40 } });
  const bucket = config.buckets[0]!;
  const shown = async (run: Promise<{ message: Parameters<typeof renderText>[0] }>) => renderText((await run).message, { color: false });

  beforeAll(async () => {
    const logger = silentLogger();
    demo = await startDemoServices({ logger, ...(process.env.MOTO_PYTHON ? { python: process.env.MOTO_PYTHON } : {}) });
    clients = createAwsClients({ region: DEMO_AWS_ENV.AWS_REGION, endpoint: demo.awsEndpoint, logger, credentials: { accessKeyId: DEMO_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DEMO_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
    ctx = { config, aws: createAwsPorts({ clients, cache: new MemoryCache(), config, logger, now: () => new Date() }), now: () => new Date(), logger };
  }, 90_000);
  afterAll(async () => {
    clients?.release();
    await demo?.stop();
  });

  it('status shows the bucket’s configuration, its storage metrics and its burst of errors', async () => {
    const text = await shown(statusCommand.run(ctx, { bucket, flags: {} }));
    expect(text).toContain(formatCount(18_400 + 13 * 130));
    expect(text).toMatch(/[Vv]ersioning[^\n]*Enabled/);
    expect(text).toContain(DEMO.logBucket);
  });

  it('uploads come from the access log, the denied reads show in errors', async () => {
    expect(await shown(uploadsCommand.run(ctx, { bucket, flags: {} }))).toContain('discharge-summary.pdf');
    const errors = await shown(errorsCommand.run(ctx, { bucket, flags: { since: '1h' } }));
    expect(errors).toContain('Contractor/laptop-7');
  });

  it('costs answer from the queued Cost Explorer results', async () => {
    expect(await shown(costsCommand.run(ctx, { flags: {} }))).toMatch(/\$\d/);
  });
});
