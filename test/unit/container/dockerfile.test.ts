// The container recipe: every stage starts from one base image pinned by digest, and the image's
// default command runs every role (a bot alone would queue alerts, digests and cleanups nothing runs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
const lines = dockerfile.split('\n');

describe('Dockerfile', () => {
  it('pins the base image by digest and builds every stage from it', () => {
    const arg = lines.find((line) => line.startsWith('ARG NODE_IMAGE='));
    expect(arg).toMatch(/^ARG NODE_IMAGE=node:\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    const froms = lines.filter((line) => line.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM \$\{NODE_IMAGE\}( AS \w+)?$/);
  });

  it('runs the bot and the worker by default', () => {
    const cmd = lines.filter((line) => line.startsWith('CMD ')).at(-1);
    expect(cmd).toBe('CMD ["start", "--role", "all"]');
  });
});
