/**
 * The test files of one vitest worker share loaded modules (`isolate: false` in vitest.config.ts),
 * so a module mock would hold only if its file happened to load the module first, and would leak
 * into the files after it. No test mocks a module; each passes in what it fakes. This test keeps it so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULE_MOCK = /\bvi\s*\.\s*(?:mock|doMock|unmock|doUnmock|resetModules|importMock)\s*\(/;

/** The lines of `source` that mock a module, as `line: text`. */
function moduleMocksIn(source: string): string[] {
  return source.split('\n').flatMap((text, i) => (MODULE_MOCK.test(text) ? [`${i + 1}: ${text.trim()}`] : []));
}

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testSources(path);
    return /\.(?:ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('module mocks', () => {
  it('are found where a file has one', () => {
    expect(moduleMocksIn("import x from 'y';\nvi.mock('@aws-sdk/credential-providers', () => ({}));\nvi.fn();")).toEqual(["2: vi.mock('@aws-sdk/credential-providers', () => ({}));"]);
    expect(moduleMocksIn('const f = vi.fn();\nvi.spyOn(a, "b");\nvi.stubEnv("X", "1");')).toEqual([]);
  });

  it('are in no test file', () => {
    const self = fileURLToPath(import.meta.url);
    const found = testSources(TEST_ROOT)
      .filter((path) => path !== self)
      .flatMap((path) => moduleMocksIn(readFileSync(path, 'utf8')).map((line) => `${relative(TEST_ROOT, path)}:${line}`));
    expect(found).toEqual([]);
  });
});
