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

/** A logger that writes nothing, for tests and quiet command-line runs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
