/** What `test-upload` and `cleanup` need from the command line around them. */
import type { Config } from '../config/load.js';
import { findBucket } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import { code } from '../message/markup.js';
import type { Message } from '../message/model.js';
import { parseCliArgs } from './args.js';

export interface ActionCliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  loadConfig: () => Promise<Config>;
  logger: Logger;
  now: () => Date;
  render: (message: Message) => string;
}

/** `<bucket> [flags]` → the configured bucket and the flags, or the sentence saying what is wrong. */
export function parseBucketArgs(
  command: string,
  rest: readonly string[],
  config: Config,
  options: Record<string, { type: 'boolean' }>,
): { bucket: BucketConfig; flags: Record<string, boolean | undefined> } | { problem: string } {
  const parsed = parseCliArgs(command, rest, options, true);
  if ('problem' in parsed) return parsed;
  const names = parsed.positionals;
  if (names.length === 0 && config.buckets.length === 1) return { bucket: config.buckets[0]!, flags: parsed.values as Record<string, boolean | undefined> };
  if (names.length !== 1) return { problem: `\`${command}\` takes one bucket: one of ${config.buckets.map((b) => b.alias ?? b.name).join(', ')}` };
  const bucket = findBucket(config, names[0]!);
  if (!bucket) return { problem: `${code(names[0]!.slice(0, 63))} is not a configured bucket; configured: ${config.buckets.map((b) => b.alias ?? b.name).join(', ')}` };
  return { bucket, flags: parsed.values as Record<string, boolean | undefined> };
}
