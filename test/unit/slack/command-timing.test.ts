import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/commands/types.js';
import { withCommandTiming } from '../../../src/slack/command-timing.js';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import type { ParsedCommand } from '../../../src/slack/features.js';
import { parseExposition, valueOf } from '../metrics/exposition.js';

function spec(verb: string, run: CommandSpec['run']): CommandSpec {
  return { verb, summary: '', usage: verb, example: verb, bucket: 'none', options: {}, run };
}

describe('withCommandTiming', () => {
  it('times parsed and listed commands by verb and outcome, passing results and errors through', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const report = { message: { summary: 'ok', blocks: [] }, data: {} } as never;
    const failure = new Error('AWS down');
    const commands = [spec('status', async () => report), spec('costs', async () => Promise.reject(failure))];
    const features = withCommandTiming(
      {
        commands,
        parse: (text: string): ParsedCommand => {
          const found = commands.find((c) => c.verb === text);
          return found ? { ok: true, spec: found, args: { flags: {} } } : { ok: false, problem: 'unknown', usage: [] };
        },
      },
      metrics,
    );
    const ctx = {} as never;
    const parsed = features.parse('status');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) await expect(parsed.spec.run(ctx, parsed.args)).resolves.toBe(report);
    await expect(features.commands!.find((c) => c.verb === 'costs')!.run(ctx, { flags: {} })).rejects.toBe(failure);
    expect(features.parse('nope')).toEqual({ ok: false, problem: 'unknown', usage: [] });

    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_command_duration_seconds_count', { command: 'status', outcome: 'success' })).toBe(1);
    expect(valueOf(m, 's3chatops_command_duration_seconds_count', { command: 'costs', outcome: 'failure' })).toBe(1);
  });
});
