import type { CommandSpec } from '../commands/types.js';
import type { ParsedCommand } from './features.js';
import type { BotMetrics } from '../metrics/definitions.js';

/** Anything that parses `/s3` input into a command, and may list the commands (the Slack features). */
export interface CommandParser {
  parse(text: string): ParsedCommand;
  commands?: CommandSpec[];
}

/**
 * The same parser, whose commands (parsed or listed, as the Refresh button finds them) observe
 * `s3chatops_command_duration_seconds{command, outcome}` when they run. Wrapping here keeps the
 * listeners untouched.
 */
export function withCommandTiming<P extends CommandParser>(features: P, metrics: Pick<BotMetrics, 'commandDuration'>): P {
  return {
    ...features,
    ...(features.commands ? { commands: features.commands.map((spec) => timedSpec(spec, metrics)) } : {}),
    parse(text: string): ParsedCommand {
      const parsed = features.parse(text);
      return parsed.ok ? { ...parsed, spec: timedSpec(parsed.spec, metrics) } : parsed;
    },
  };
}

/** A command spec whose `run` is timed. */
export function timedSpec(spec: CommandSpec, metrics: Pick<BotMetrics, 'commandDuration'>): CommandSpec {
  return {
    ...spec,
    run: async (ctx, args) => {
      const end = metrics.commandDuration.startTimer({ command: spec.verb });
      try {
        const report = await spec.run(ctx, args);
        end({ outcome: 'success' });
        return report;
      } catch (error) {
        end({ outcome: 'failure' });
        throw error;
      }
    },
  };
}
