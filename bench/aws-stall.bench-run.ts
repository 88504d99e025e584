// Benchmark: the bot with its AWS endpoint stalled (the fault proxy in front of moto accepts every
// request and never answers). Every command must be answered within its deadline plus 1 s; once the
// stall ends, the next answers must be back to normal within 1 s. The real bot (main.ts: Bolt over
// HTTP, Redis, the AWS clients) answers signed slash commands through a fake Slack. Reports, and
// fails only on a wrong answer (a busy refusal, no answer, or a stall answer that names nothing).
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMAND_DEADLINE_MS } from '../src/aws/deadlines.js';
import { DEFAULT_ANSWER_POOL } from '../src/commands/answer-pool.js';
import { BUSY_TEXT } from '../src/slack/replies.js';
import type { FaultProxy } from '../test/helpers/fault-proxy.js';
import { describeWithServices } from '../test/helpers/services.js';
import { startBotBehindProxy, type BotBehindProxy } from '../test/integration/faults/bot-behind-proxy.js';
import { fixed, markdownTable, median, resultsDir, runMeta, writeResult } from './lib/results.js';
import { BENCH_ALIAS, seedStatusBucket } from './lib/seed-bucket.js';

const ROUNDS = Number(process.env.BENCH_STALL_ROUNDS ?? 3);
const RECOVERIES = Number(process.env.BENCH_RECOVERIES ?? 5);
/** Each command must be answered within its deadline plus this. */
const SLACK_MS = 1_000;
/** After the stall ends, answers must be back to normal within this. */
const RECOVERY_TARGET_MS = 1_000;

/** A second bucket, asked about only while AWS answers, so no stall question is answered from the reuse window. */
const NORMAL_ALIAS = 'bench-normal';

/** One round: as many distinct questions as the pool runs at once, so none waits for a slot or shares an answer. */
const questions = (round: number, alias = BENCH_ALIAS): string[] =>
  [`status ${alias}`, `errors ${alias} --since ${['1h', '24h', '7d'][round % 3]}`, `costs --days ${alias === BENCH_ALIAS ? 10 + round : 40}`, `uploads ${alias} --limit ${1 + round}`].slice(
    0,
    DEFAULT_ANSWER_POOL.concurrency,
  );

interface Answered {
  question: string;
  ms: number;
  text: string;
}

describeWithServices(
  'benchmark: answers with the AWS endpoint stalled, and after it ends',
  () => {
    let env: BotBehindProxy;
    let proxy: FaultProxy;

    const ask = async (question: string): Promise<Answered> => ({ question, ...(await env.ask(question, 4 * COMMAND_DEADLINE_MS)) });

    beforeAll(async () => {
      const bucket = await seedStatusBucket('bench-stall');
      const normalBucket = await seedStatusBucket('bench-normal');
      env = await startBotBehindProxy([{ name: bucket, alias: BENCH_ALIAS }, { name: normalBucket, alias: NORMAL_ALIAS }]);
      ({ proxy } = env);
    }, 120_000);

    afterAll(async () => {
      await env?.stop();
    });

    it('answers every command within its deadline plus 1 s while stalled, and normally within 1 s after', async () => {
      // Normal answers first, for comparison (and to warm the connections).
      const normal: Answered[] = [];
      for (const question of questions(0, NORMAL_ALIAS)) normal.push(await ask(question));

      const stalled: Answered[] = [];
      const recoveries: Answered[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        proxy.set({ kind: 'stall' });
        stalled.push(...(await Promise.all(questions(round).map(ask))));
      }
      // Recovery: a stall, a command caught in it, then the stall ends and the next command is timed.
      for (let i = 0; i < RECOVERIES; i += 1) {
        proxy.set({ kind: 'stall' });
        const caught = ask(`status ${BENCH_ALIAS}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        proxy.set({ kind: 'pass' });
        await caught;
        // `errors` with a fresh window each time: never a reused answer.
        recoveries.push(await ask(`errors ${BENCH_ALIAS} --since ${['1h', '24h', '7d'][i % 3]}`));
      }
      proxy.set({ kind: 'pass' });

      for (const answer of stalled) {
        expect(answer.text, answer.question).not.toContain(BUSY_TEXT);
        expect(answer.text, answer.question).toMatch(/(S3|CloudWatch|Cost Explorer|Redis) did not answer within \d+ s/);
      }
      for (const answer of recoveries) expect(answer.text, answer.question).not.toMatch(/did not answer|not ready/);

      const bound = COMMAND_DEADLINE_MS + SLACK_MS;
      const worstStalled = Math.max(...stalled.map((a) => a.ms));
      const worstRecovery = Math.max(...recoveries.map((a) => a.ms));
      const byVerb = (answers: Answered[]) => {
        const verbs = [...new Set(answers.map((a) => a.question.split(' ')[0]!))];
        return verbs.map((verb) => {
          const ms = answers.filter((a) => a.question.startsWith(verb)).map((a) => a.ms);
          return [verb, String(ms.length), fixed(median(ms), 0), fixed(Math.max(...ms), 0)];
        });
      };
      const table = [
        `AWS endpoint stalled (fault proxy: accepts, never answers); ${ROUNDS} rounds of ${questions(0).length} distinct commands at once (the pool's concurrency)`,
        '',
        markdownTable(['command while stalled', 'answers', 'median ms', 'worst ms'], byVerb(stalled)),
        '',
        markdownTable(['command, AWS answering', 'answers', 'median ms', 'worst ms'], byVerb(normal)),
        '',
        markdownTable(
          ['figure', 'value', 'target'],
          [
            ['worst answer while stalled (ms)', fixed(worstStalled, 0), `${worstStalled <= bound ? 'met' : 'MISSED'} (≤ ${bound}: the ${COMMAND_DEADLINE_MS / 1000} s command deadline + 1 s)`],
            [`worst first answer after the stall ends (ms, ${recoveries.length} recoveries)`, fixed(worstRecovery, 0), `${worstRecovery <= RECOVERY_TARGET_MS ? 'met' : 'MISSED'} (≤ ${RECOVERY_TARGET_MS})`],
          ],
        ),
      ].join('\n');
      const file = writeResult('aws-stall', {
        meta: runMeta(),
        settings: { rounds: ROUNDS, recoveries: RECOVERIES, commandDeadlineMs: COMMAND_DEADLINE_MS },
        stalled: stalled.map(({ question, ms, text }) => ({ question, ms, said: /(S3|CloudWatch|Cost Explorer|Redis) did not answer within \d+ s/.exec(text)?.[0] })),
        normal: normal.map(({ question, ms }) => ({ question, ms })),
        recoveries: recoveries.map(({ question, ms }) => ({ question, ms })),
        worstStalled,
        worstRecovery,
        table,
      });
      writeFileSync(`${resultsDir()}aws-stall.md`, `${table}\n`);
      console.log(`${table}\n\n(${file})`);
    }, 10 * 60_000);
  },
);
