/** How long a delivery job waits before its next attempt: the one schedule of the Slack and Teams queues. */

/** The longest wait after a failed send. */
const MAX_FAILED_MS = 60_000;
/** The longest wait while another worker holds the alert. */
const MAX_BUSY_MS = 30_000;

/**
 * A failed send backs off from 0.5 s to a minute. A busy alert (another worker holds its lock and
 * is sending its changes, which a live holder now keeps for as long as Slack or Teams keeps it
 * waiting) is tried again soon at first, in case the holder finished just before this change came,
 * then every 30 s at most, so a long hold does not spend the job's attempts in a few minutes.
 */
export function deliveryRetryDelay(attemptsMade: number, busy: boolean): number {
  const exponent = Math.min(attemptsMade, 7);
  return busy ? Math.min(MAX_BUSY_MS, 300 * 2 ** exponent) : Math.min(MAX_FAILED_MS, 500 * 2 ** exponent);
}
