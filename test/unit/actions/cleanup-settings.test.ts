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

describe('cleanup.includeUnmarked', () => {
  it('is off by default and takes a boolean', () => {
    expect(fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] }).cleanup.includeUnmarked).toBe(false);
    expect(parse({ includeUnmarked: true }).data?.cleanup.includeUnmarked).toBe(true);
    expect(parse({ includeUnmarked: 'yes' }).success).toBe(false);
  });
});

describe('buckets[].testPrefix', () => {
  const withPrefix = (testPrefix: string) => fileConfigSchema.safeParse({ buckets: [{ name: 'docs-bucket', testPrefix }] });
  const problemOf = (testPrefix: string) => {
    const result = withPrefix(testPrefix);
    expect(result.success, `"${testPrefix}" should be refused`).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(['buckets', 0, 'testPrefix']);
    return issue.message;
  };

  it('refuses each prefix that could reach outside a test folder, saying why', () => {
    expect(problemOf('')).toMatch(/cannot be empty/);
    expect(problemOf('/')).toMatch(/starts with "\/"/);
    expect(problemOf('//')).toMatch(/starts with "\/"/);
    expect(problemOf('a//b/')).toMatch(/empty folder/);
    expect(problemOf('../')).toMatch(/"\." or "\.\." folder/);
    expect(problemOf('a/../')).toMatch(/"\." or "\.\." folder/);
    expect(problemOf('a/./b/')).toMatch(/"\." or "\.\." folder/);
    expect(problemOf(' /')).toMatch(/whitespace/);
    expect(problemOf('tests/ ')).toMatch(/whitespace/);
    expect(problemOf('a/ b /')).toMatch(/whitespace/);
    expect(problemOf('tests')).toMatch(/must end with "\/"/);
    expect(problemOf('te\u001bsts/')).toMatch(/control character/);
  });

  it('takes an ordinary folder, nested or not, and defaults to _s3-chatops/test/', () => {
    for (const ok of ['_s3-chatops/test/', 'tmp/', 'qa/uploads/s3-chatops/', 'a b/']) expect(withPrefix(ok).success, ok).toBe(true);
    expect(fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] }).buckets[0]!.testPrefix).toBe('_s3-chatops/test/');
  });
});
