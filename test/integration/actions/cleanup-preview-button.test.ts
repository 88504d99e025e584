/**
 * The Clean up test files button runs the `cleanup` command of the registry, as `/s3 cleanup`
 * does: with the presser as the preview's requester.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandArgs, CommandSpec } from '../../../src/commands/types.js';
import { defaultSlackFeatures } from '../../../src/slack/default-features.js';
import { describeWithServices } from '../../helpers/services.js';
import { actionsConfig, startActionsBot, STATUS_TS, type ActionsBot } from './bot.js';
import { seedCleanupBucket, type CleanupSeed } from './seed-cleanup.js';

const PRESSER = 'U0PRESSER';

describeWithServices('cleanup preview button through the command registry (moto, Redis, real Bolt app)', () => {
  let seed: CleanupSeed;
  let bot: ActionsBot;
  const runs: CommandArgs[] = [];
  const prefixes = { queuePrefix: `test-cleanup-cmd-${randomUUID().slice(0, 8)}`, keyPrefix: `test-cleanup-cmd-${randomUUID().slice(0, 8)}:` };

  beforeAll(async () => {
    seed = await seedCleanupBucket('cleanup-cmd', { old: 3, recent: 1, outside: 1 });
    const config = actionsConfig(seed.bucket);
    const features = defaultSlackFeatures(config);
    // The registry's own cleanup command, watched: the button must reach it, not a copy of its logic.
    const watched = features.commands.map((spec): CommandSpec =>
      spec.verb !== 'cleanup'
        ? spec
        : {
            ...spec,
            run: (ctx, args) => {
              runs.push(args);
              return spec.run(ctx, args);
            },
          },
    );
    bot = await startActionsBot(config, prefixes, { features: { ...features, commands: watched } });
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
  });

  it('runs the cleanup command once, with the presser as requester, and posts its preview in the thread', async () => {
    await bot.press('cleanup_preview', seed.bucket, { user: PRESSER });
    const preview = await bot.slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('cleanup_confirm'), 30_000);
    expect(preview.body.thread_ts).toBe(STATUS_TS);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ bucket: { name: seed.bucket }, requester: PRESSER });
  }, 60_000);

  it('a Clean up or Refresh press naming a bucket no longer configured says so to the presser alone, and runs nothing', async () => {
    const posted = () => bot.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').length;
    const postedBefore = posted();
    for (const actionId of ['cleanup_preview', 'status_refresh']) {
      const pressed = await bot.press(actionId, 'gone-bucket', { user: PRESSER });
      expect(pressed.status).toBe(200);
      const answer = await bot.slack.waitFor((c) => c.method === 'respond' && c.responseId === pressed.responseId, 10_000);
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: '`gone-bucket` is no longer a configured bucket, so this button cannot run.' });
    }
    // No preview ran (the cleanup command was not called again) and no message was posted or replaced.
    expect(runs).toHaveLength(1);
    expect(posted()).toBe(postedBefore);
  });
});
