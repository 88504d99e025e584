import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText } from '../config/redact.js';

export type { Logger } from 'pino';

export interface LoggerSettings {
  level?: string;
  /** Secret values (tokens, signing secret, keys) that must never reach a log line. */
  secrets?: string[];
  /** Where lines go; defaults to stdout. Tests pass a stream to capture them. */
  destination?: NodeJS.WritableStream;
}

/** Paths that hold secrets in objects we log (request headers, SDK configs, Slack bodies). */
const REDACT_PATHS = [
  'token',
  'botToken',
  'signingSecret',
  'appToken',
  '*.token',
  '*.botToken',
  '*.signingSecret',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'req.headers.authorization',
  'credentials',
  '*.credentials',
  'secretAccessKey',
  '*.secretAccessKey',
];

/** What every log line written inside a request or a job carries: `requestId`, or `jobId` with its queue and job name. */
export type LogContext = Record<string, string | undefined>;

// One context per Slack request (Bolt middleware) or BullMQ job (the processor wrapper), read by
// the loggers' mixin: lines from deep inside the work (AWS adapters, Slack clients) carry the id
// without each piece being handed a child logger.
const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `bindings` added to the log context of every line written during it, sync or async. */
export function withLogContext<T>(bindings: LogContext, fn: () => T): T {
  const current = logContext.getStore();
  return logContext.run(current ? { ...current, ...bindings } : bindings, fn);
}

/** A pino logger that redacts known secret fields and scrubs secret values from every line. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const secrets = settings.secrets ?? [];
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 's3-chatops' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A copy: pino merges each line's own fields into what the mixin returns, which must not be the
    // context itself, or one line's `err` would ride along on every later line of the job.
    mixin: () => ({ ...logContext.getStore() }),
  };
  const out = settings.destination ?? process.stdout;
  const scrubbing = {
    write(line: string) {
      out.write(redactText(line, secrets));
    },
  };
  return pino(options, scrubbing);
}

/**
 * A child logger whose every line carries `requestId`, to find one request's lines together: the
 * current request's (through the log context) unless one is given, a fresh one outside any request.
 */
export function requestLogger(logger: Logger, bindings: Record<string, unknown> = {}, requestId?: string): Logger {
  // Inside a request the mixin already adds its id; binding it again would write the key twice.
  if (requestId === undefined && logContext.getStore()?.requestId !== undefined) return logger.child(bindings);
  return logger.child({ requestId: requestId ?? randomUUID(), ...bindings });
}

/** A fresh request id. */
export function newRequestId(): string {
  return randomUUID();
}

/** A logger that writes nothing, for tests and quiet command-line runs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
