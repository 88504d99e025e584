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

/** A pino logger that redacts known secret fields and scrubs secret values from every line. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const secrets = settings.secrets ?? [];
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 's3-chatops' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const out = settings.destination ?? process.stdout;
  const scrubbing = {
    write(line: string) {
      out.write(redactText(line, secrets));
    },
  };
  return pino(options, scrubbing);
}

/** A child logger whose every line carries `requestId` (a fresh one unless given), to find one request's lines together. */
export function requestLogger(logger: Logger, bindings: Record<string, unknown> = {}, requestId: string = randomUUID()): Logger {
  return logger.child({ requestId, ...bindings });
}

/** A child logger whose every line carries the job's queue and id. */
export function jobLogger(logger: Logger, job: { queue: string; id?: string; name?: string }): Logger {
  return logger.child({ jobId: job.id, queue: job.queue, job: job.name });
}

/** A logger that writes nothing, for tests and quiet command-line runs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
