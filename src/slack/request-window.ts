import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RefusalReason } from '../metrics/refused-requests.js';

/** How far a request's `X-Slack-Request-Timestamp` may be from our clock, either way (Slack's rule). */
export const REQUEST_WINDOW_MS = 5 * 60_000;

/**
 * Why a request stamped `header` falls outside the window around `nowMs`, or undefined when it is
 * inside (or carries no stamp: then Bolt's signature check refuses it and says so).
 */
export function outsideRequestWindow(header: string | string[] | undefined, nowMs: number): Extract<RefusalReason, 'stale' | 'future'> | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const stampMs = Number(header) * 1000;
  if (!Number.isFinite(stampMs)) return undefined;
  if (stampMs < nowMs - REQUEST_WINDOW_MS) return 'stale';
  if (stampMs > nowMs + REQUEST_WINDOW_MS) return 'future';
  return undefined;
}

/**
 * Wraps the HTTP receiver's listener: a POST to `path` stamped outside the window, in the past or
 * the future, gets a 401 before its body is read. Bolt checks only the past, so a request stamped
 * in the future stays replayable for as long as its stamp is ahead of the clock.
 */
export function refusingOutsideWindow(
  listener: RequestListener,
  options: { paths: readonly string[]; now: () => Date; onRefused: (reason: 'stale' | 'future') => void },
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'POST' && options.paths.includes(path)) {
      const reason = outsideRequestWindow(req.headers['x-slack-request-timestamp'], options.now().getTime());
      if (reason) {
        options.onRefused(reason);
        // Read and drop the body so the connection can be reused.
        req.resume();
        res.writeHead(401).end();
        return;
      }
    }
    listener(req, res);
  };
}
