import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('keeps tokens and the signing secret out of every line, in fields and in messages', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ secrets: ['my-signing-secret-123'], destination });
    logger.info({ token: 'xoxb-9-9-tok', headers: { authorization: 'Bearer xoxb-9-9-tok' } }, 'posting with xoxb-9-9-tok');
    logger.warn({ body: 'secret=my-signing-secret-123' }, 'verification failed');
    const out = lines.join('');
    expect(lines).toHaveLength(2);
    expect(out).not.toContain('xoxb-9-9-tok');
    expect(out).not.toContain('my-signing-secret-123');
    expect(out).toContain('[redacted]');
    expect(JSON.parse(lines[0]!).msg).toBe('posting with [redacted]');
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', destination });
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
