import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { fileTypeLabel, S3Monitor, type MonitorDecorator } from '../../../src/metrics/s3-monitor.js';
import { parseExposition, samplesOf, valueOf } from './exposition.js';

/** A monitor on its own registry with a clock the test moves. */
function setup() {
  const registry = createMetricsRegistry({ defaultMetrics: false });
  let nowMs = 1_000;
  const monitor = new S3Monitor({ registry, clock: () => nowMs });
  const advance = (ms: number) => {
    nowMs += ms;
  };
  const scrape = async () => parseExposition(await registry.metrics());
  return { registry, monitor, advance, scrape };
}

describe('S3Monitor.recordUploadOperation', () => {
  it('counts s3_upload and s3_upload_<file type> by status, and observes duration (ms → s) and size', async () => {
    const { monitor, scrape } = setup();
    monitor.recordUploadOperation({ success: true, fileType: 'pdf', fileSize: 2_048, duration: 120 });
    monitor.recordUploadOperation({ success: true, fileType: '.PDF', fileSize: 4_096, duration: 80 });
    monitor.recordUploadOperation({ success: false, fileType: 'image/png', fileSize: 10, duration: 3_000 });
    const m = await scrape();

    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload', status: 'success' })).toBe(2);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload', status: 'failure' })).toBe(1);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload_pdf', status: 'success' })).toBe(2);
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_upload_png', status: 'failure' })).toBe(1);

    expect(m.types.get('s3_upload_duration_seconds')).toBe('histogram');
    expect(valueOf(m, 's3_upload_duration_seconds_count', { status: 'success' })).toBe(2);
    expect(valueOf(m, 's3_upload_duration_seconds_sum', { status: 'success' })).toBeCloseTo(0.2);
    expect(valueOf(m, 's3_upload_duration_seconds_bucket', { status: 'success', le: '0.1' })).toBe(1);
    expect(valueOf(m, 's3_upload_duration_seconds_bucket', { status: 'success', le: '0.25' })).toBe(2);
    expect(valueOf(m, 's3_upload_duration_seconds_bucket', { status: 'failure', le: '2.5' })).toBe(0);
    expect(valueOf(m, 's3_upload_duration_seconds_bucket', { status: 'failure', le: '5' })).toBe(1);
    expect(valueOf(m, 's3_upload_size_bytes_sum', { status: 'success' })).toBe(6_144);
  });

  it('has buckets from milliseconds to minutes', async () => {
    const { monitor, scrape } = setup();
    monitor.recordUploadOperation({ success: true, duration: 1 });
    const bounds = samplesOf(await scrape(), 's3_upload_duration_seconds_bucket').map((s) => (s.labels.le === '+Inf' ? Infinity : Number(s.labels.le)));
    expect(Math.min(...bounds)).toBeLessThanOrEqual(0.005);
    expect(Math.max(...bounds.filter(Number.isFinite))).toBeGreaterThanOrEqual(300);
  });

  it('shares one set of metrics per registry, so several monitors and the bot can record together', async () => {
    const { registry, monitor, scrape } = setup();
    const other = new S3Monitor({ registry });
    monitor.recordUploadOperation({ success: true, duration: 5 });
    other.recordUploadOperation({ success: true, duration: 5 });
    expect(valueOf(await scrape(), 'utility_operations_total', { operation: 's3_upload', status: 'success' })).toBe(2);
  });
});

describe('fileTypeLabel', () => {
  it('turns extensions, file names and MIME types into short, safe label parts', () => {
    expect(fileTypeLabel('pdf')).toBe('pdf');
    expect(fileTypeLabel('report.final.PDF')).toBe('pdf');
    expect(fileTypeLabel('application/vnd.ms-excel')).toBe('ms_excel');
    expect(fileTypeLabel('')).toBe('unknown');
    expect(fileTypeLabel('x'.repeat(100))).toHaveLength(32);
  });
});

describe('S3Monitor.monitorS3Operation as a wrapper', () => {
  it('records success with the duration and returns the result', async () => {
    const { monitor, advance, scrape } = setup();
    const list = monitor.monitorS3Operation('s3_list', async (prefix: string) => {
      advance(250);
      return [`${prefix}a`, `${prefix}b`];
    });
    await expect(list('docs/')).resolves.toEqual(['docs/a', 'docs/b']);
    const m = await scrape();
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_list', status: 'success' })).toBe(1);
    expect(valueOf(m, 's3_operation_duration_seconds_sum', { operation: 's3_list', status: 'success' })).toBeCloseTo(0.25);
  });

  it('records failure and the error still reaches the caller, async and sync', async () => {
    const { monitor, advance, scrape } = setup();
    const failure = new Error('AccessDenied');
    const del = monitor.monitorS3Operation('s3_delete', async () => {
      advance(40);
      throw failure;
    });
    await expect(del()).rejects.toBe(failure);
    const syncDel = monitor.monitorS3Operation('s3_delete', () => {
      throw failure;
    });
    expect(() => syncDel()).toThrow(failure);
    const m = await scrape();
    expect(valueOf(m, 'utility_operations_total', { operation: 's3_delete', status: 'failure' })).toBe(2);
    expect(valueOf(m, 's3_operation_duration_seconds_count', { operation: 's3_delete', status: 'failure' })).toBe(2);
    expect(valueOf(m, 's3_operation_duration_seconds_sum', { operation: 's3_delete', status: 'failure' })).toBeCloseTo(0.04);
  });

  it('feeds s3_upload_duration_seconds when the operation is s3_upload', async () => {
    const { monitor, advance, scrape } = setup();
    await monitor.monitorS3Operation('s3_upload', async () => advance(1_500))();
    expect(valueOf(await scrape(), 's3_upload_duration_seconds_sum', { status: 'success' })).toBeCloseTo(1.5);
  });

  it('keeps `this` and the arguments', async () => {
    const { monitor } = setup();
    const store = { prefix: 'p/', put: monitor.monitorS3Operation('s3_upload', function (this: { prefix: string }, key: string) {
      return `${this.prefix}${key}`;
    }) };
    expect(store.put('k')).toBe('p/k');
  });
});

describe('S3Monitor.monitorS3Operation as a method decorator', () => {
  it('wraps a method given the standard (TypeScript 5) decorator arguments', async () => {
    const { monitor, advance, scrape } = setup();
    const decorator: MonitorDecorator = monitor.monitorS3Operation('s3_delete');
    const method = async function (this: { name: string }) {
      advance(10);
      return this.name;
    };
    const context = { kind: 'method', name: 'remove', static: false, private: false } as unknown as ClassMethodDecoratorContext;
    const replaced = decorator(method, context);
    await expect(replaced.call({ name: 'bucket' })).resolves.toBe('bucket');
    expect(valueOf(await scrape(), 'utility_operations_total', { operation: 's3_delete', status: 'success' })).toBe(1);
  });

  it('wraps a method given the legacy (experimentalDecorators) arguments', async () => {
    const { monitor, scrape } = setup();
    class Store {
      async remove(): Promise<void> {
        throw new Error('gone');
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Store.prototype, 'remove')!;
    Object.defineProperty(Store.prototype, 'remove', monitor.monitorS3Operation('s3_delete')(Store.prototype, 'remove', descriptor));
    await expect(new Store().remove()).rejects.toThrow('gone');
    expect(valueOf(await scrape(), 'utility_operations_total', { operation: 's3_delete', status: 'failure' })).toBe(1);
  });
});
