import { parseCommand } from '../../../src/commands/parse.js';
import { createRegistry } from '../../../src/commands/registry.js';
import type { CommandSpec } from '../../../src/commands/types.js';
import type { AwsPorts } from '../../../src/aws/ports.js';
import type { Config } from '../../../src/config/load.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { bareFacts } from '../../fixtures/reports/buckets.js';
import type { Message } from '../../../src/message/model.js';
import type { SlackFeatures } from '../../../src/slack/features.js';

/** Counts and gates the fake commands' work, so tests can see how often it ran and when. */
export class WorkProbe {
  runs: Record<string, number> = {};
  gate: Promise<void> = Promise.resolve();
  private release?: () => void;
  failWith?: Error;
  /** The configuration the parser resolves buckets against. */
  constructor(readonly config: Config) {}

  /** Holds every computation until `open()`. */
  close(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
  }
  count(verb: string): number {
    return this.runs[verb] ?? 0;
  }
}

/** A minimal renderer: one section per block, the markup as it is. */
function render(message: Message): { text: string; blocks: unknown[] } {
  return {
    text: message.summary,
    blocks: message.blocks.map((block) => ({ type: 'section', text: { type: 'mrkdwn', text: 'text' in block ? block.text : block.kind } })),
  };
}

/** Commands of our own over the injected ports, so the Slack layer is tested apart from the reports. */
export function fakeFeatures(probe: WorkProbe): SlackFeatures {
  const spec = (verb: string, bucket: CommandSpec['bucket'], options: CommandSpec['options'] = {}): CommandSpec => ({
    verb,
    summary: `${verb} things`,
    usage: `${verb}${bucket === 'none' ? '' : ' [bucket]'}`,
    example: `${verb} docs`,
    bucket,
    options,
    async run(ctx, args) {
      probe.runs[verb] = (probe.runs[verb] ?? 0) + 1;
      ctx.logger.info({ verb }, 'fake command started');
      await probe.gate;
      if (probe.failWith) throw probe.failWith;
      const facts = args.bucket ? await ctx.aws.facts.getFacts(args.bucket.name) : undefined;
      return {
        message: {
          summary: `${verb} ${args.bucket?.name ?? 'fleet'}: versioning ${facts?.versioning ?? '-'}`,
          blocks: [{ kind: 'text', text: `run ${probe.runs[verb]} of ${verb}` }],
        },
        data: {},
      };
    },
  });
  const commands = [spec('status', 'optional'), spec('uploads', 'required', { limit: { type: 'string' } }), spec('costs', 'none'), spec('help', 'none')];
  const registry = createRegistry(commands);
  return {
    commands,
    parse: (text) => parseCommand(text, registry, probe.config),
    badInput: (problem, usage) => ({ summary: problem, blocks: [{ kind: 'text', text: problem }, { kind: 'text', text: usage.join('\n') }], ephemeral: true }),
    render: (message) => {
      probe.runs.render = (probe.runs.render ?? 0) + 1;
      return render(message);
    },
    async overview(ctx) {
      probe.runs.overview = (probe.runs.overview ?? 0) + 1;
      return { message: { summary: 'fleet', blocks: ctx.config.buckets.map((b) => ({ kind: 'text' as const, text: `bucket ${b.name}` })) }, data: {} };
    },
  };
}

/** AWS ports that answer from memory and count their calls. */
export function fakeAws(): AwsPorts & { calls: { facts: number } } {
  const calls = { facts: 0 };
  return {
    calls,
    facts: {
      async getFacts(bucket) {
        calls.facts += 1;
        if (bucket === 'denied-bucket') throw new UserFacingError('aws_access_denied', 'Access denied: the bot needs s3:GetBucketVersioning on denied-bucket.');
        return { ...bareFacts(bucket), versioning: 'Enabled' };
      },
    },
    listing: { listNewest: async () => ({ objects: [], scanned: 0, truncated: false }) },
    metrics: { getMetricData: async () => new Map() },
    costs: {
      getDailyCost: async () => ({ days: [], currency: 'USD', fetchedAt: new Date() }),
      getForecast: async () => null,
    },
  };
}
