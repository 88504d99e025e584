import type { BucketConfig } from '../../../src/config/schema.js';
import { checkDuration, checkIntInRange } from '../../../src/commands/flags.js';
import { createRegistry } from '../../../src/commands/registry.js';
import type { CommandSpec } from '../../../src/commands/types.js';

/** A configured bucket with the schema's defaults filled in. */
export function bucket(name: string, alias?: string): BucketConfig {
  return { name, alias, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' };
}

const notRun = async (): Promise<never> => {
  throw new Error('the parser never runs a command');
};

/** Commands of our own, so the parser is tested apart from the real reports. */
export const fakeSpecs: CommandSpec[] = [
  { verb: 'look', summary: 'look at a bucket', usage: 'look [bucket]', example: 'look docs', bucket: 'optional', options: {}, run: notRun },
  {
    verb: 'list',
    summary: 'list objects',
    usage: 'list [bucket] [--limit N] [--since D] [--deep]',
    example: 'list docs --limit 5',
    bucket: 'required',
    options: { limit: { type: 'string' }, since: { type: 'string' }, deep: { type: 'boolean' } },
    validate: (flags) => checkIntInRange(flags, 'limit', 1, 100) ?? checkDuration(flags, 'since'),
    run: notRun,
  },
  { verb: 'spend', summary: 'spend', usage: 'spend', example: 'spend', bucket: 'none', options: {}, run: notRun },
  { verb: 'help', summary: 'help', usage: 'help', example: 'help', bucket: 'none', options: {}, run: notRun },
];

export const fakeRegistry = createRegistry(fakeSpecs);

export const oneBucket = { buckets: [bucket('docs-bucket-1', 'docs')] };
export const twoBuckets = { buckets: [bucket('docs-bucket-1', 'docs'), bucket('logs-bucket-2')] };
