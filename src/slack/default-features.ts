import { parseCommand } from '../commands/parse.js';
import { createCommandRegistry } from '../commands/registry.js';
import { firingAlerts } from '../commands/status.js';
import type { Config } from '../config/load.js';
import type { Message } from '../message/model.js';
import { renderSlack } from '../render/slack/index.js';
import { buildOverview, gatherOverview } from '../reports/overview.js';
import type { SlackFeatures } from './features.js';

/** The product's real commands, parser and Block Kit renderer, for the running bot. */
export function defaultSlackFeatures(config: Pick<Config, 'buckets'>): SlackFeatures {
  const registry = createCommandRegistry();
  return {
    commands: [...registry.specs],
    parse: (text) => parseCommand(text, registry, config),
    badInput: usageAnswer,
    render: (message) => renderSlack(message),
    overview: async (ctx) => {
      const alerts = await firingAlerts(ctx);
      return buildOverview(await gatherOverview(ctx.aws, ctx.config.buckets, ctx.now(), alerts ? { alerts } : {}));
    },
  };
}

/** The ephemeral answer to bad input: what was wrong, then the usage. */
function usageAnswer(problem: string, usage: string[]): Message {
  return {
    summary: problem,
    ephemeral: true,
    blocks: [
      { kind: 'text', text: problem },
      { kind: 'context', text: usage.map((line) => `\`/s3 ${line}\``).join('\n') },
    ],
  };
}
