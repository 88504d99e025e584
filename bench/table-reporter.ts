import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Reporter } from 'vitest/node';
import { RESULTS_DIR } from './lib/results.js';

/** These come first, in this order; any other result file follows by name. */
const FIRST = ['ack-latency', 'status-answer'];

/** Prints, after every benchmark ran, the table of each result file (`{ meta, table, … }`) this run wrote. */
export default class TableReporter implements Reporter {
  private readonly startedAt = Date.now();

  onTestRunEnd(): void {
    let names: string[];
    try {
      names = readdirSync(RESULTS_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length));
    } catch {
      return;
    }
    const rank = (name: string) => (FIRST.includes(name) ? FIRST.indexOf(name) : FIRST.length);
    names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const tables: string[] = [];
    for (const name of names) {
      const file = `${RESULTS_DIR}${name}.json`;
      try {
        if (statSync(file).mtimeMs < this.startedAt) continue;
        const result = JSON.parse(readFileSync(file, 'utf8')) as { table?: unknown; meta?: { date: string; node: string; cpus: number } };
        if (typeof result.table !== 'string') continue;
        const meta = result.meta ? `(${result.meta.date}, Node ${result.meta.node}, ${result.meta.cpus} cores)\n` : '';
        tables.push(`${result.table}\n${meta}JSON: ${file}`);
      } catch {
        // Not a result of this run, or not one at all.
      }
    }
    if (tables.length > 0) process.stdout.write(`\n=== benchmark results ===\n\n${tables.join('\n\n')}\n`);
  }
}
