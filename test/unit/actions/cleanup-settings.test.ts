import { describe, expect, it } from 'vitest';
import { fileConfigSchema } from '../../../src/config/schema.js';

const parse = (cleanup: Record<string, unknown>) => fileConfigSchema.safeParse({ buckets: [{ name: 'docs-bucket' }], cleanup });

describe('cleanup.batchSize', () => {
  it('is unset by default (S3\'s 1,000 a call) and takes 1 to 1,000', () => {
    expect(fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] }).cleanup.batchSize).toBeUndefined();
    expect(parse({ batchSize: 1 }).data?.cleanup.batchSize).toBe(1);
    expect(parse({ batchSize: 1_000 }).data?.cleanup.batchSize).toBe(1_000);
  });

  it('refuses more than S3 deletes in one call, zero, and fractions', () => {
    const tooMany = parse({ batchSize: 1_001 });
    expect(tooMany.success).toBe(false);
    expect(JSON.stringify(tooMany.error?.issues)).toContain('at most 1,000 keys a call');
    expect(parse({ batchSize: 0 }).success).toBe(false);
    expect(parse({ batchSize: 2.5 }).success).toBe(false);
  });
});
