import { describe, expect, it } from 'vitest';
import { AnswerPool } from '../../../src/commands/answer-pool.js';
import { answerKey, askCommand } from '../../../src/commands/ask-command.js';
import type { CommandArgs, CommandContext, CommandSpec } from '../../../src/commands/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { Report } from '../../../src/message/model.js';
import { testConfig } from '../../helpers/config.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { bucket } from './fixtures.js';

const docs = bucket('docs-bucket', 'docs');

describe('answerKey', () => {
  it('is the same for the same verb, bucket and flags in any order', () => {
    expect(answerKey('uploads', { bucket: docs, flags: { limit: '5', prefix: 'a/' } })).toBe(
      answerKey('uploads', { bucket: { ...docs }, flags: { prefix: 'a/', limit: '5', since: undefined } }),
    );
  });
  it('differs by verb, bucket and flag value', () => {
    const base = answerKey('uploads', { bucket: docs, flags: { limit: '5' } });
    expect(answerKey('errors', { bucket: docs, flags: { limit: '5' } })).not.toBe(base);
    expect(answerKey('uploads', { bucket: { ...docs, name: 'other' }, flags: { limit: '5' } })).not.toBe(base);
    expect(answerKey('uploads', { bucket: docs, flags: { limit: '6' } })).not.toBe(base);
    expect(answerKey('uploads', { flags: { limit: '5' } })).not.toBe(base);
  });
});

describe('askCommand', () => {
  const ctx: CommandContext = { config: testConfig([{ name: docs.name, alias: 'docs' }]), aws: fakePorts({}), now: () => new Date('2025-01-01T00:00:00Z'), logger: silentLogger() };
  const pool = () => new AnswerPool<Report>({ reuseMs: 20_000, concurrency: 2, maxQueue: 2, now: ctx.now });
  const args: CommandArgs = { bucket: docs, flags: {} };

  /** A command whose runs wait for `release`, each answering with its run number; `signals` are the deadlines its runs were given. */
  function heldCommand(fields: Partial<CommandSpec> = {}) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const signals: (AbortSignal | undefined)[] = [];
    let runs = 0;
    const spec: CommandSpec = {
      verb: 'probe',
      summary: 'probe',
      usage: 'probe [bucket]',
      example: 'probe docs',
      bucket: 'required',
      options: {},
      async run(runCtx) {
        runs += 1;
        signals.push(runCtx.signal);
        const run = runs;
        await gate;
        return { message: { summary: `run ${run}`, blocks: [{ kind: 'text', text: `run ${run}` }] }, data: run };
      },
      ...fields,
    };
    return { spec, release, signals, runs: () => runs };
  }

  const texts = (report: Report) => report.message.blocks.map((b) => ('text' in b ? b.text : b.kind));

  it('gives a question that joins a run under way the answer as the command words it for a joiner, and the starter its own', async () => {
    const p = pool();
    const held = heldCommand({ reuse: 'in-flight', joined: (report, a) => ({ ...report, message: { ...report.message, blocks: [...report.message.blocks, { kind: 'context', text: `joined for ${a.bucket!.name}` }] } }) });
    const first = askCommand(p, ctx, held.spec, args);
    const second = askCommand(p, ctx, held.spec, args);
    expect(first).toMatchObject({ kind: 'computing', joined: false });
    expect(second).toMatchObject({ kind: 'computing', joined: true });
    held.release();
    if (first.kind !== 'computing' || second.kind !== 'computing') throw new Error('both questions should be computing');
    expect(texts(await first.promise)).toEqual(['run 1']);
    expect(texts(await second.promise)).toEqual(['run 1', 'joined for docs-bucket']);
    expect(held.runs()).toBe(1);
  });

  it('hands a joiner the run\'s own answer when the command has no joined wording', async () => {
    const p = pool();
    const held = heldCommand();
    const first = askCommand(p, ctx, held.spec, args);
    const second = askCommand(p, ctx, held.spec, args);
    held.release();
    if (first.kind !== 'computing' || second.kind !== 'computing') throw new Error('both questions should be computing');
    expect(await second.promise).toBe(await first.promise);
  });

  it('runs the command under the pool\'s deadline, and a fresh question skips the recent answer', async () => {
    const p = pool();
    const held = heldCommand();
    held.release();
    const first = askCommand(p, ctx, held.spec, args);
    if (first.kind !== 'computing') throw new Error('the first question should be computing');
    await first.promise;
    expect(held.signals[0]).toBeInstanceOf(AbortSignal);
    expect(askCommand(p, ctx, held.spec, args)).toMatchObject({ kind: 'reused' });
    const fresh = askCommand(p, ctx, held.spec, args, { fresh: true });
    expect(fresh).toMatchObject({ kind: 'computing', joined: false });
    if (fresh.kind === 'computing') expect(texts(await fresh.promise)).toEqual(['run 2']);
  });
});
