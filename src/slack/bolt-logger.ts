import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import type { RefusalReason } from '../metrics/refused-requests.js';

export interface BoltLoggerOptions {
  /** Takes Bolt's warning for a request it refused (bad signature, stale, malformed) instead of a line each. */
  onRefused?: (reason: RefusalReason) => void;
}

/** Bolt's logger interface over our pino logger, so Bolt's lines share our redaction. */
export function boltLogger(logger: Logger, options: BoltLoggerOptions = {}): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const text = msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
    const refusal = method === 'warn' && options.onRefused ? refusalOf(text) : undefined;
    if (refusal) {
      options.onRefused!(refusal);
      return;
    }
    child[method](text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The reason behind the warning HTTPReceiver writes for each request it refuses (bolt
 * `receivers/HTTPReceiver.js`, `handleIncomingEvent`), undefined for any other line.
 */
export function refusalOf(text: string): RefusalReason | undefined {
  if (text.startsWith('Failed to parse and verify the request data')) return /stale/.test(text) ? 'stale' : 'bad_signature';
  if (text.startsWith('Malformed request body') || text.startsWith('Failed to parse the request body') || text.startsWith('Request body exceeded')) return 'malformed';
  return undefined;
}
