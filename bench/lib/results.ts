// Small statistics, the machine description, and where each benchmark writes its JSON result.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** The machine and run a result comes from. */
export interface RunMeta {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the result was written: other work on the machine shows here. */
  loadAverage: number[];
  /** The code measured: HEAD and how many files differ from it (uncommitted work is measured too). */
  git: { head: string; changedFiles: number } | null;
}

export function runMeta(): RunMeta {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    git: gitState(),
  };
}

function gitState(): RunMeta['git'] {
  const cwd = fileURLToPath(new URL('../../', import.meta.url));
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain', '--', 'src', 'package.json'], { cwd, encoding: 'utf8' });
  if (head.status !== 0 || status.status !== 0) return null;
  return { head: head.stdout.trim(), changedFiles: status.stdout.split('\n').filter(Boolean).length };
}

/** `bench/results/`, created if needed; returns its path (with the trailing slash). */
export function resultsDir(): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return RESULTS_DIR;
}

/** Writes `bench/results/<name>.json`: the meta, the figures, and the table the reporter prints. */
export function writeResult(name: string, result: { meta: RunMeta; table: string } & Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The q-quantile (0..1) of the values, linearly interpolated between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Quantiles of a large Float64Array without copying it into an array of numbers first. */
export function quantilesOf(values: Float64Array, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => {
    if (sorted.length === 0) return Number.NaN;
    const at = (sorted.length - 1) * q;
    const low = Math.floor(at);
    const high = Math.ceil(at);
    return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
  });
}

/** A number with `digits` decimals, as text. */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** A markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `pass` or `MISSED` against a ratio target (lower is better). */
export function verdict(ratio: number, target: number): string {
  return ratio <= target ? `met (≤ ${target})` : `MISSED (target ≤ ${target})`;
}
