// A CloudTrail the role may not read is said once, not once per bucket per tick: again only while it
// lasts past the reminder interval, and once when it reads again.
import { describe, expect, it } from 'vitest';
import { evaluateChunk } from '../../../src/alerts/evaluate.js';
import { gatherTrail } from '../../../src/alerts/gather-trail.js';
import { gatherProblems, sourceProblems } from '../../../src/alerts/source-problems.js';
import { configChangeRule } from '../../../src/alerts/rules/config-change.js';
import { bucketRules } from '../../../src/alerts/rules/index.js';
import type { AlertStore } from '../../../src/alerts/store.js';
import type { ManagementEventsPort } from '../../../src/aws/ports.js';
import { toUserFacingError } from '../../../src/aws/errors.js';
import { createLogger } from '../../../src/lib/logger.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';
import { testConfig } from '../../helpers/config.js';
import { fakePorts } from '../../fixtures/reports/ports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const config = testConfig({ buckets: [{ name: 'docs-a' }, { name: 'docs-b' }, { name: 'docs-c' }], budget: { monthlyUsd: 200 }, alerts: { repeatHours: 4 } });

/** A logger whose lines are kept, parsed. */
function capturingLogger() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } as unknown as NodeJS.WritableStream });
  return { logger, lines, warnings: () => lines.filter((l) => l.level === 40), infos: () => lines.filter((l) => l.level === 30) };
}

/** CloudTrail as a role without `cloudtrail:LookupEvents` meets it, until `grant()`. */
function trailRefusing() {
  let granted = false;
  const denied = Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
  const trail: ManagementEventsPort = {
    async bucketEvents() {
      if (!granted) throw toUserFacingError(denied, { service: 'CloudTrail', operation: 'LookupEvents' });
      return [];
    },
  };
  return { trail, grant: () => (granted = true) };
}

describe('CloudTrail refused to the config-change alert', () => {
  const start = Date.parse('2026-12-03T12:00:00Z');

  it('is one warning over many ticks of every bucket, again after the reminder interval, and one line when it reads again', async () => {
    const { logger, warnings, infos } = capturingLogger();
    let nowMs = start;
    const problems = sourceProblems('trail', logger, config, () => nowMs);
    const { trail, grant } = trailRefusing();
    const tick = async () => gatherTrail({ config, trail, rules: bucketRules(), logger, problems }, config.buckets, new Date(nowMs));

    for (let i = 0; i < 10; i += 1, nowMs += MINUTE) {
      const inputs = await tick();
      // Each bucket's verdict still says why it is not judged.
      expect(Object.values(inputs).map((t) => t.ok)).toEqual([false, false, false]);
    }
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ msg: expect.stringContaining('could not read CloudTrail'), subjects: ['docs-a', 'docs-b', 'docs-c'], subjectCount: 3 });
    expect(JSON.stringify(warnings()[0])).toContain('cloudtrail:LookupEvents');

    nowMs = start + 4 * HOUR;
    await tick();
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ msg: expect.stringContaining('still'), timesSinceSaid: 10, since: new Date(start).toISOString() });

    grant();
    for (let i = 0; i < 5; i += 1, nowMs += MINUTE) await tick();
    expect(warnings()).toHaveLength(2);
    expect(infos().map((l) => l.msg)).toEqual(['CloudTrail reads again for the config-change alert']);
  });

  it('is said again at once when it comes back after it was over', async () => {
    const { logger, warnings } = capturingLogger();
    let nowMs = start;
    const problems = sourceProblems('trail', logger, config, () => nowMs);
    let refusing = true;
    const trail: ManagementEventsPort = {
      async bucketEvents() {
        if (refusing) throw new Error('CloudTrail did not answer');
        return [];
      },
    };
    const tick = async () => gatherTrail({ config, trail, rules: bucketRules(), logger, problems }, config.buckets, new Date((nowMs += MINUTE)));
    await tick();
    refusing = false;
    await tick();
    refusing = true;
    await tick();
    expect(warnings()).toHaveLength(2);
  });

  it('through the worker’s evaluation, chunk by chunk: one warning for every chunk and tick', async () => {
    const { logger, warnings } = capturingLogger();
    const { trail } = trailRefusing();
    const aws = { ...fakePorts({ metrics: { getMetricData: async () => new Map() } }), trail };
    // A store without Redis: the signals' cache is left out, as when Redis is away.
    const store = { getJson: async () => null, setJson: async () => undefined } as unknown as AlertStore;
    const deps = { config, aws, store, logger, rules: [configChangeRule], problems: gatherProblems(logger, config) };
    for (let tick = 0; tick < 5; tick += 1) {
      const at = new Date(start + tick * MINUTE).toISOString();
      for (const [chunk, buckets] of [config.buckets.slice(0, 2), config.buckets.slice(2)].entries()) {
        const outcome = await evaluateChunk(deps, { chunk, slot: at, at, buckets, fleet: false }, { commit: false });
        expect(outcome.verdicts.every((v) => alertFindingLine(v.verdict.finding).includes('not judged'))).toBe(true);
      }
    }
    expect(warnings()).toHaveLength(1);
  });
});
