import { spawn } from 'node:child_process';

/** Lint warnings promtool raises about prom-client's own default metrics (gauges named `*_total`), not ours. */
const PROM_CLIENT_DEFAULT_LINT = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

/**
 * Runs `promtool check metrics` on exposition text (stdin). Exit 1 is a parse error; 3 lint
 * problems, which are returned unless they are prom-client's default metrics' own.
 */
export function promtoolCheckMetrics(text: string): Promise<{ parses: boolean; problems: string[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const problems = output.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !PROM_CLIENT_DEFAULT_LINT.test(l));
      resolve({ parses: code === 0 || code === 3, problems, output });
    });
    child.stdin.end(text);
  });
}
