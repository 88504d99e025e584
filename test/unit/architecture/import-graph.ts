/**
 * Reads the relative imports of a source tree and checks them against declared layers: a module
 * may import its own layer or a lower one, never a higher one, and modules may not import each
 * other in a circle. Written on the TypeScript compiler's own import scanner so `import type`,
 * `export … from` and `import()` all count as dependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One relative import: both ends are paths relative to the source root, with `/` separators. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** A layer: its name and the modules in it, each a folder (`aws/`) or a file (`main.ts`). */
export interface Layer {
  name: string;
  modules: string[];
}

/** An import that breaks the layering but is tolerated for now, with the reason. */
export interface KnownException {
  from: string;
  to: string;
  why: string;
}

/** Every relative import of every `.ts` file under `root`. */
export function readImportGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listTsFiles(root)) {
    edges.push(...importsOf(path.relative(root, file).split(path.sep).join('/'), readFileSync(file, 'utf8')));
  }
  return edges;
}

/** The relative imports of one file (`from` relative to the source root) as edges. */
export function importsOf(from: string, source: string): ImportEdge[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ from, to: path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '.ts') }));
}

function listTsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTsFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The module a file belongs to: the longest declared folder or file that contains it. */
export function moduleOf(file: string, layers: readonly Layer[]): string | undefined {
  let best: string | undefined;
  for (const layer of layers) {
    for (const mod of layer.modules) {
      const hit = mod.endsWith('/') ? file.startsWith(mod) : file === mod;
      if (hit && (best === undefined || mod.length > best.length)) best = mod;
    }
  }
  return best;
}

/**
 * What is wrong with the graph, one line per problem, each naming the importing file and the
 * imported one: files in no layer, imports from a lower layer to a higher one, and circles
 * between modules. An empty list means the layering holds.
 */
export function checkLayers(edges: readonly ImportEdge[], layers: readonly Layer[], exceptions: readonly KnownException[] = []): string[] {
  const rank = new Map<string, number>();
  layers.forEach((layer, i) => layer.modules.forEach((mod) => rank.set(mod, i)));
  const layerName = (mod: string): string => layers[rank.get(mod) ?? -1]?.name ?? '?';
  const excused = (edge: ImportEdge): boolean => exceptions.some((e) => e.from === edge.from && e.to === edge.to);

  const problems: string[] = [];
  const unplaced = new Set<string>();
  const moduleEdges: ImportEdge[] = [];
  for (const edge of edges) {
    const from = moduleOf(edge.from, layers);
    const to = moduleOf(edge.to, layers);
    for (const [file, mod] of [[edge.from, from], [edge.to, to]] as const) {
      if (mod === undefined && !unplaced.has(file)) {
        unplaced.add(file);
        problems.push(`${file} belongs to no layer: add its folder to the layer list`);
      }
    }
    if (from === undefined || to === undefined || from === to || excused(edge)) continue;
    moduleEdges.push({ from, to });
    if ((rank.get(to) ?? 0) > (rank.get(from) ?? 0)) {
      problems.push(`${edge.from} imports ${edge.to}: layer "${layerName(from)}" may not import the higher layer "${layerName(to)}"`);
    }
  }
  for (const circle of circles(moduleEdges)) {
    const witnesses = circle.map((mod, i) => {
      const next = circle[(i + 1) % circle.length];
      const edge = edges.find((e) => moduleOf(e.from, layers) === mod && moduleOf(e.to, layers) === next && !excused(e));
      return edge ? `${edge.from} imports ${edge.to}` : `${mod} → ${next}`;
    });
    problems.push(`modules import each other in a circle ${[...circle, circle[0]].join(' → ')}: ${witnesses.join('; ')}`);
  }
  return problems;
}

/**
 * The circles in a directed graph, one per strongly connected component of more than one node,
 * each given as one cycle through that component (enough to name the imports to break).
 */
export function circles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (from === to) continue;
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)?.add(to);
    if (!next.has(to)) next.set(to, new Set());
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const succ of next.get(node) ?? []) {
      if (!index.has(succ)) {
        visit(succ);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(succ) ?? 0));
      } else if (onStack.has(succ)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(succ) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => cycleWithin(new Set(component), next));
}

/** A shortest cycle through the first (sorted) node of a strongly connected component. */
function cycleWithin(component: Set<string>, next: Map<string, Set<string>>): string[] {
  const start = [...component].sort()[0] as string;
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const succ of [...(next.get(node) ?? [])].sort()) {
      if (!component.has(succ)) continue;
      if (succ === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0] as string) as string);
        return path;
      }
      if (!parent.has(succ)) {
        parent.set(succ, node);
        queue.push(succ);
      }
    }
  }
  return [start];
}
