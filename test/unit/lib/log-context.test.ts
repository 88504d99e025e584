import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, requestLogger, withLogContext } from '../../../src/lib/logger.js';

function capture() {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ destination }), raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the log context', () => {
  it('adds its ids to every line written inside it, across awaits and child loggers, and to none outside', async () => {
    const { logger, lines } = capture();
    const child = logger.child({ component: 'aws-sdk' });
    await withLogContext({ jobId: '42', queue: 'q' }, async () => {
      logger.info('first');
      await new Promise((resolve) => setTimeout(resolve, 1));
      child.info('after an await, from a child made outside');
    });
    logger.info('outside');
    expect(lines().map((l) => [l.msg, l.jobId, l.queue])).toEqual([
      ['first', '42', 'q'],
      ['after an await, from a child made outside', '42', 'q'],
      ['outside', undefined, undefined],
    ]);
  });

  it('keeps one line\'s own fields to that line', () => {
    const { logger, lines } = capture();
    withLogContext({ jobId: '7' }, () => {
      logger.warn({ alert: 'a1', err: new Error('boom') }, 'first');
      logger.info('second');
    });
    const [first, second] = lines();
    expect(first).toMatchObject({ msg: 'first', jobId: '7', alert: 'a1' });
    expect(second).toMatchObject({ msg: 'second', jobId: '7' });
    expect(second).not.toHaveProperty('alert');
    expect(second).not.toHaveProperty('err');
  });

  it('keeps two concurrent contexts apart', async () => {
    const { logger, lines } = capture();
    const work = (id: string, ms: number) =>
      withLogContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        logger.info(id);
      });
    await Promise.all([work('a', 5), work('b', 1)]);
    expect(lines().map((l) => [l.msg, l.requestId])).toEqual([
      ['b', 'b'],
      ['a', 'a'],
    ]);
  });

  it('requestLogger inside a request uses its id without writing the key twice; outside one it makes a fresh id', () => {
    const { logger, raw, lines } = capture();
    withLogContext({ requestId: 'r-1' }, () => requestLogger(logger, { verb: 'status' }).info('inside'));
    requestLogger(logger).info('outside');
    expect(raw[0]!.match(/"requestId"/g)).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ requestId: 'r-1', verb: 'status' });
    expect(lines()[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
