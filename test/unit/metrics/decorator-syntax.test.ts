import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseExposition, valueOf } from './exposition.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/decorated.ts', import.meta.url));

it('@monitor.monitorS3Operation(...) on methods records success and failure, and the error reaches the caller', async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, timeout: 60_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
  );
  const result = JSON.parse(stdout) as { listed: string[]; removal: string; metrics: string };
  expect(result.listed).toEqual(['docs/cases/a.pdf']);
  expect(result.removal).toBe('AccessDenied');
  const m = parseExposition(result.metrics);
  expect(valueOf(m, 'utility_operations_total', { operation: 's3_list', status: 'success' })).toBe(1);
  expect(valueOf(m, 'utility_operations_total', { operation: 's3_delete', status: 'failure' })).toBe(1);
  expect(valueOf(m, 's3_operation_duration_seconds_count', { operation: 's3_delete', status: 'failure' })).toBe(1);
});
