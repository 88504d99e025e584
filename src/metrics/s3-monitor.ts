import type { Registry } from 'prom-client';
import { countOperations, uploadMetrics, type OperationStatus, type UploadMetrics } from './definitions.js';

/** One upload, as an application reports it. */
export interface UploadOperation {
  success: boolean;
  /** The file's type: an extension (`pdf`, `.pdf`), a file name or a MIME type; becomes `s3_upload_<type>`. */
  fileType?: string;
  /** Bytes uploaded. */
  fileSize?: number;
  /** How long the upload took, in milliseconds (what `Date.now() - start` gives). */
  duration: number;
}

export interface S3MonitorOptions {
  /** Where the metrics are registered; the one your `/metrics` endpoint serves. */
  registry: Registry;
  /** A millisecond clock for timing monitored operations; `performance.now` by default. */
  clock?: () => number;
  /**
   * Operations this application records besides the seed guide's (`s3_upload`, `s3_delete`,
   * `s3_list`, always counted from 0), e.g. `s3_copy`: their counts exist at 0 from the start.
   */
  operations?: readonly string[];
  /** File types this application uploads (`pdf`, `docx`): `s3_upload_<type>` counts exist at 0 from the start. */
  fileTypes?: readonly string[];
}

/** Any function; what `monitorS3Operation` wraps. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/** A method decorator, for TypeScript 5 (standard) and `experimentalDecorators` (legacy) classes alike. */
export interface MonitorDecorator {
  <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext): F;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

/** The operation name recorded for an upload, whatever its file type. */
export const UPLOAD_OPERATION = 's3_upload';

/**
 * The seed guide's S3Monitor: an application records its own S3 uploads and operations into the
 * Prometheus metrics it serves (`utility_operations_total`, `s3_upload_duration_seconds`, …).
 */
export class S3Monitor {
  private readonly metrics: UploadMetrics;
  private readonly clock: () => number;

  constructor(options: S3MonitorOptions) {
    this.metrics = uploadMetrics(options.registry);
    this.clock = options.clock ?? (() => performance.now());
    // A first failure after a start must be an increase from 0, not a series that appears at 1.
    countOperations(this.metrics, [...(options.operations ?? []), ...(options.fileTypes ?? []).map(uploadOperationFor)]);
  }

  /**
   * Records one upload: `utility_operations_total` for `s3_upload` and `s3_upload_<file type>`,
   * its duration in `s3_upload_duration_seconds` and its size in `s3_upload_size_bytes`.
   */
  recordUploadOperation(upload: UploadOperation): void {
    const status: OperationStatus = upload.success ? 'success' : 'failure';
    this.count(UPLOAD_OPERATION, status);
    if (upload.fileType !== undefined) this.count(uploadOperationFor(upload.fileType), status);
    if (Number.isFinite(upload.duration) && upload.duration >= 0) this.metrics.uploadDuration.observe({ status }, upload.duration / 1000);
    if (upload.fileSize !== undefined && Number.isFinite(upload.fileSize) && upload.fileSize >= 0) this.metrics.uploadSize.observe({ status }, upload.fileSize);
  }

  /** Records one run of any operation (`s3_delete`, `s3_list`, …) with its duration in milliseconds. */
  recordOperation(operation: string, success: boolean, durationMs?: number): void {
    const status: OperationStatus = success ? 'success' : 'failure';
    this.count(operation, status);
    if (durationMs !== undefined && Number.isFinite(durationMs) && durationMs >= 0) {
      this.metrics.operationDuration.observe({ operation, status }, durationMs / 1000);
      if (operation === UPLOAD_OPERATION) this.metrics.uploadDuration.observe({ status }, durationMs / 1000);
    }
  }

  /**
   * `monitorS3Operation('s3_delete', fn)` returns `fn` wrapped to record success, failure (the
   * error is rethrown to the caller) and duration; `@monitor.monitorS3Operation('s3_delete')`
   * does the same to a method.
   */
  monitorS3Operation<F extends AnyFunction>(operation: string, fn: F): F;
  monitorS3Operation(operation: string): MonitorDecorator;
  monitorS3Operation<F extends AnyFunction>(operation: string, fn?: F): F | MonitorDecorator {
    if (fn) return this.wrap(operation, fn);
    const decorate = (target: unknown, context: unknown, descriptor?: PropertyDescriptor): unknown => {
      if (descriptor && typeof descriptor.value === 'function') {
        // Legacy (`experimentalDecorators`): replace the method on its descriptor.
        return { ...descriptor, value: this.wrap(operation, descriptor.value as AnyFunction) };
      }
      if (typeof target === 'function' && isMethodContext(context)) return this.wrap(operation, target as AnyFunction);
      throw new TypeError('monitorS3Operation decorates methods only');
    };
    return decorate as MonitorDecorator;
  }

  /** Counts one run; an operation seen for the first time gets its other status at 0 too, so its first failure shows. */
  private count(operation: string, status: OperationStatus): void {
    countOperations(this.metrics, [operation]);
    this.metrics.operations.inc({ operation, status });
  }

  private wrap<F extends AnyFunction>(operation: string, fn: F): F {
    const monitor = this;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const started = monitor.clock();
      const finish = (success: boolean) => monitor.recordOperation(operation, success, monitor.clock() - started);
      let result: unknown;
      try {
        result = fn.apply(this, args);
      } catch (error) {
        finish(false);
        throw error;
      }
      if (isThenable(result)) {
        return result.then(
          (value) => {
            finish(true);
            return value;
          },
          (error: unknown) => {
            finish(false);
            throw error;
          },
        );
      }
      finish(true);
      return result;
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    return wrapped as F;
  }
}

/** The operation an upload of `fileType` is counted under: `s3_upload_pdf`. */
function uploadOperationFor(fileType: string): string {
  return `${UPLOAD_OPERATION}_${fileTypeLabel(fileType)}`;
}

/** `pdf`, `.PDF`, `report.pdf` and `application/pdf` all become `pdf`; anything else a safe, short label. */
export function fileTypeLabel(fileType: string): string {
  const last = fileType.trim().toLowerCase().split(/[/.]/).pop() ?? '';
  const label = last.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32);
  return label || 'unknown';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isMethodContext(context: unknown): context is ClassMethodDecoratorContext {
  return typeof context === 'object' && context !== null && (context as { kind?: unknown }).kind === 'method';
}
