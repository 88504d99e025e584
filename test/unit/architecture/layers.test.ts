/**
 * The layering of `src/`, kept true by a test over the import graph. Lowest layer first; a module
 * may import its own layer or any below it, and no two modules (or files) import each other in a
 * circle. The README's "Architecture" section says the same in words.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayers, circles, readImportGraph, type KnownException, type Layer } from './import-graph.js';

/** The layers of `src/`, lowest first. */
export const LAYERS: Layer[] = [
  // Settings and their redaction: everything reads them, they read nothing of ours.
  { name: 'config', modules: ['config/'] },
  // Logging, Redis primitives, caches, locks, schedules: no knowledge of S3 or chat.
  { name: 'lib', modules: ['lib/'] },
  // AWS ports: what we need of S3, CloudWatch and Cost Explorer, and the SDK adapters behind them.
  { name: 'aws', modules: ['aws/'] },
  // Counters around the ports, and access-log parsing over them: figures, never wording.
  { name: 'metrics and access logs', modules: ['metrics/', 'access-logs/'] },
  // The message model: what a person is shown, with data as data and no surface's markup; what
  // alert rules find (as data) and the one wording of it.
  { name: 'message model', modules: ['message/'] },
  // CloudTrail management events read into who, from where and what changed, worded as model text.
  { name: 'cloudtrail', modules: ['cloudtrail/'] },
  // Pure reports: data in, message model out.
  { name: 'reports', modules: ['reports/'] },
  // Alert rules (data in, findings out), state machine and state store.
  { name: 'alerts', modules: ['alerts/'] },
  // One renderer per surface (render/slack, teams, text, with their shared layout helpers); they
  // know the model only, and nothing below may pick a surface.
  { name: 'renderers', modules: ['render/'] },
  // Things that change the world: test upload and cleanup, and posting to Slack and Teams.
  { name: 'actions and notify', modules: ['actions/', 'notify/'] },
  // The verb → handler registry shared by Slack, Teams and the command line, and the answer pool both chat surfaces ask it through.
  { name: 'commands', modules: ['commands/'] },
  // Entry points: Slack and Teams listeners, the command line's subcommands, BullMQ jobs, the local playground.
  { name: 'entry points', modules: ['slack/', 'teams/', 'cli/', 'jobs/', 'playground/'] },
  // Composition roots: build config, clients and ports, and start the roles.
  { name: 'composition roots', modules: ['main.ts', 'worker.ts', 'cli.ts', 'cli/start-roles.ts', 'cli/playground.ts', 'playground/start.ts', 'index.ts'] },
];

/** Imports that still run the wrong way, each with why it is tolerated. Keep this list short. */
const KNOWN_EXCEPTIONS: KnownException[] = [];

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

describe('the import graph of src/', () => {
  const edges = readImportGraph(SRC);

  it('reads the imports (the check below is not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'main.ts', to: 'slack/app.ts' });
  });

  it('imports only downward through the layers, with no circle between modules', () => {
    expect(checkLayers(edges, LAYERS, KNOWN_EXCEPTIONS)).toEqual([]);
  });

  it('has no two files importing each other in a circle', () => {
    const problems = circles(edges).map((circle) => [...circle, circle[0]].join(' → '));
    expect(problems).toEqual([]);
  });

  it('lists only exceptions that still occur', () => {
    const stale = KNOWN_EXCEPTIONS.filter((e) => !edges.some((edge) => edge.from === e.from && edge.to === e.to));
    expect(stale).toEqual([]);
  });
});
