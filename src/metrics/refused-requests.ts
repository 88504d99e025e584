import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';

/** Why a request to `/slack/events` (or the Teams bot's `/api/messages`) was turned away without any work. */
export type RefusalReason = 'bad_signature' | 'stale' | 'future' | 'malformed' | 'replay' | 'bad_token';

const LABELS: Record<RefusalReason, string> = {
  bad_signature: 'bad signature',
  stale: 'stale',
  future: 'from the future',
  malformed: 'malformed',
  replay: 'replay or retry',
  bad_token: 'no valid token',
};

const COUNTERS = {
  slack: { name: 's3chatops_slack_requests_refused_total', help: 'Requests to /slack/events refused before any work, by reason' },
  teams: { name: 's3chatops_teams_requests_refused_total', help: 'Requests to /api/messages (Teams) refused before any work, by reason' },
} as const;

export interface RefusedRequestsOptions {
  logger: Logger;
  /** Where `s3chatops_slack_requests_refused_total{reason}` is registered; none: only the log line. */
  registry?: Registry;
  /** How often the refusals counted since the last line are written as one line; 60 s by default. */
  intervalMs?: number;
  /** The surface counted: `slack` (the default) or `teams`, in the counter's name and the log line. */
  surface?: 'slack' | 'teams';
}

/**
 * Counts refused requests and writes one warning line per interval with the counts by reason:
 * a flood of forged requests must not become a flood of log lines (disk, log bills, hiding the rest).
 */
export class RefusedRequests {
  private readonly counts = new Map<RefusalReason, number>();
  private readonly counter: Counter<'reason'> | undefined;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RefusedRequestsOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    const { registry } = options;
    const metric = COUNTERS[options.surface ?? 'slack'];
    // One counter per registry: a second app on the same registry (tests, a restart in-process) shares it.
    this.counter = registry
      ? ((registry.getSingleMetric(metric.name) as Counter<'reason'> | undefined) ??
        new Counter({ name: metric.name, help: metric.help, labelNames: ['reason'], registers: [registry] }))
      : undefined;
  }

  /** Counts one refused request; the first of an interval starts the timer of its summary line. */
  count(reason: RefusalReason): void {
    this.counter?.inc({ reason });
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes the line for the refusals counted since the last one, if any; at stop, so none are lost. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counts.size === 0) return;
    const byReason = Object.fromEntries(this.counts);
    const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
    const detail = [...this.counts].map(([reason, n]) => `${LABELS[reason]} ${n}`).join(', ');
    this.counts.clear();
    const seconds = Math.round(this.intervalMs / 1000);
    const where = this.options.surface === 'teams' ? ' to the Teams bot' : '';
    this.options.logger.warn({ refused: byReason, total }, `refused ${total} requests${where} in the last ${seconds} s (${detail})`);
  }
}
