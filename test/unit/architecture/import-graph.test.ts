/** The layer checker itself, on a small planted graph, so a bad import is known to fail the check. */
import { describe, expect, it } from 'vitest';
import { checkLayers, circles, importsOf, moduleOf, type ImportEdge, type Layer } from './import-graph.js';

const LAYERS: Layer[] = [
  { name: 'lib', modules: ['lib/'] },
  { name: 'model', modules: ['render/'] },
  { name: 'reports', modules: ['reports/'] },
  { name: 'renderers', modules: ['render/slack/'] },
  { name: 'roots', modules: ['main.ts'] },
];

const GOOD: ImportEdge[] = [
  { from: 'main.ts', to: 'render/slack/index.ts' },
  { from: 'main.ts', to: 'reports/status.ts' },
  { from: 'reports/status.ts', to: 'render/model.ts' },
  { from: 'reports/status.ts', to: 'reports/types.ts' },
  { from: 'render/slack/index.ts', to: 'render/model.ts' },
  { from: 'render/model.ts', to: 'lib/logger.ts' },
];

describe('importsOf', () => {
  it('finds static, type-only, re-exported and dynamic relative imports, resolved from the importing file', () => {
    const source = [
      "import { a } from '../lib/a.js';",
      "import type { B } from './b.js';",
      "export { c } from '../render/slack/c.js';",
      "const d = await import('../render/d.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf('reports/x.ts', source).map((e) => e.to)).toEqual(['lib/a.ts', 'reports/b.ts', 'render/slack/c.ts', 'render/d.ts']);
  });
});

describe('moduleOf', () => {
  it('puts a file in the longest folder that holds it', () => {
    expect(moduleOf('render/slack/index.ts', LAYERS)).toBe('render/slack/');
    expect(moduleOf('render/model.ts', LAYERS)).toBe('render/');
    expect(moduleOf('main.ts', LAYERS)).toBe('main.ts');
    expect(moduleOf('other/x.ts', LAYERS)).toBeUndefined();
  });
});

describe('checkLayers', () => {
  it('passes a graph that only imports downward', () => {
    expect(checkLayers(GOOD, LAYERS)).toEqual([]);
  });

  it('names a planted upward import: a report that picks a surface', () => {
    const bad = [...GOOD, { from: 'reports/status.ts', to: 'render/slack/index.ts' }];
    expect(checkLayers(bad, LAYERS)).toEqual([
      'reports/status.ts imports render/slack/index.ts: layer "reports" may not import the higher layer "renderers"',
    ]);
  });

  it('tolerates a listed exception and only that one', () => {
    const bad = [...GOOD, { from: 'reports/status.ts', to: 'render/slack/index.ts' }, { from: 'lib/logger.ts', to: 'main.ts' }];
    const problems = checkLayers(bad, LAYERS, [{ from: 'reports/status.ts', to: 'render/slack/index.ts', why: 'planted' }]);
    expect(problems.filter((p) => p.includes('higher layer'))).toEqual([
      'lib/logger.ts imports main.ts: layer "lib" may not import the higher layer "roots"',
    ]);
  });

  it('names a circle between two modules of one layer with the imports that make it', () => {
    const layers: Layer[] = [...LAYERS, { name: 'entry', modules: ['jobs/', 'actions/'] }];
    const bad = [...GOOD, { from: 'jobs/cleanup.ts', to: 'actions/exec.ts' }, { from: 'actions/start.ts', to: 'jobs/cleanup.ts' }];
    expect(checkLayers(bad, layers)).toEqual([
      'modules import each other in a circle actions/ → jobs/ → actions/: actions/start.ts imports jobs/cleanup.ts; jobs/cleanup.ts imports actions/exec.ts',
    ]);
  });

  it('names a file that belongs to no layer', () => {
    const bad = [...GOOD, { from: 'main.ts', to: 'stray/thing.ts' }];
    expect(checkLayers(bad, LAYERS)).toEqual(['stray/thing.ts belongs to no layer: add its folder to the layer list']);
  });
});

describe('circles', () => {
  it('finds a circle of files and none in a tree', () => {
    expect(circles(GOOD)).toEqual([]);
    const loop = [
      { from: 'commands/help.ts', to: 'commands/registry.ts' },
      { from: 'commands/registry.ts', to: 'commands/help.ts' },
      { from: 'commands/registry.ts', to: 'commands/types.ts' },
    ];
    expect(circles(loop)).toEqual([['commands/help.ts', 'commands/registry.ts']]);
  });
});
