/** The job processors of alert evaluation and delivery; each is idempotent, so a retried job changes nothing twice. */
import type { Job } from 'bullmq';
import { evaluateChunk, type EvaluateDeps } from '../alerts/evaluate.js';
import { planChunks } from '../alerts/plan.js';
import { bucketRules } from '../alerts/rules/index.js';
import type { AlertEvent } from '../alerts/types.js';
import { deliverAlert, slackDestination, type DeliverDeps } from '../notify/deliver.js';
import type { TeamsFeed } from '../notify/teams-feed.js';
import type { Logger } from '../lib/logger.js';
import { addOrRevive, type IdentifiedJob } from '../lib/add-or-revive.js';
import { runDeliveryJob } from './delivery-job.js';
import {
  DELIVER_JOB,
  DELIVER_OPTIONS,
  deliverJobId,
  EVALUATE_JOB,
  EVALUATE_OPTIONS,
  evaluateJobId,
  type DeliverData,
  type EvaluateData,
  type TickData,
  type WorkerQueues,
} from './queues.js';

export interface AlertProcessorDeps {
  evaluate: EvaluateDeps;
  deliver: DeliverDeps;
  queues: Pick<WorkerQueues, 'alerts' | 'notify'>;
  /** The Teams queue, when TEAMS_WEBHOOK_URL is set: jobs for the changes in Teams' outbox, independently of Slack. */
  teams?: Pick<TeamsFeed, 'alertEvents' | 'relay'>;
  /** Counts a delivery refused for good (`s3chatops_delivery_refusals_total`). */
  onRefused?: (destination: string, reason: string) => void;
}

/** A tick: split the buckets into evaluation jobs (ids from the slot), and re-queue deliveries left behind. */
export async function processTick(deps: AlertProcessorDeps, job: Job<TickData>): Promise<{ chunks: number }> {
  const { config } = deps.evaluate;
  const chunks = planChunks(config, bucketRules(deps.evaluate.rules));
  await deps.queues.alerts.addBulk(
    chunks.map((buckets, chunk) => ({
      name: EVALUATE_JOB,
      data: { ...job.data, chunk, buckets: buckets.map((b) => b.name), fleet: chunk === 0 } satisfies EvaluateData,
      opts: { ...EVALUATE_OPTIONS, jobId: evaluateJobId(job.data.slot, chunk) },
    })),
  );
  await relayPending(deps);
  return { chunks: chunks.length };
}

/** Evaluates one chunk and queues one delivery job per change it committed. */
export async function processEvaluate(deps: AlertProcessorDeps, job: Job<EvaluateData>): Promise<{ outcome: string; events: number }> {
  const { config, logger } = deps.evaluate;
  const names = new Set(job.data.buckets);
  const buckets = config.buckets.filter((b) => names.has(b.name));
  const result = await evaluateChunk(deps.evaluate, { ...job.data, buckets });
  if (result.outcome === 'seen') {
    logger.debug({ slot: job.data.slot, chunk: job.data.chunk }, 'tick already evaluated');
    return { outcome: 'seen', events: 0 };
  }
  logger.info({ slot: job.data.slot, chunk: job.data.chunk, events: result.events.length, metricCalls: result.metricCalls }, 'tick evaluated');
  for (const event of result.events) logger.info({ alert: event.state.id, version: event.version, kind: event.kind }, 'alert event');
  await enqueueAlertEvents({ notify: deps.queues.notify, teams: deps.teams }, result.events, logger);
  return { outcome: 'evaluated', events: result.events.length };
}

/** Delivers an alert's pending events to Slack in order; a busy alert or a 429 waits (with `token`) without spending an attempt. */
export async function processDeliver(deps: AlertProcessorDeps, job: Job<DeliverData>, token?: string): Promise<{ delivered: number }> {
  const ctx = { destination: slackDestination(deps.deliver), logger: deps.deliver.logger, ...(deps.onRefused ? { onRefused: deps.onRefused } : {}) };
  return runDeliveryJob(ctx, job, token, async () => ({ delivered: await deliverAlert(deps.deliver, job.data.alertId) }));
}

/** Where committed alert events go: Slack's delivery jobs and, when a webhook is set, the Teams queue. */
export interface AlertEventTargets {
  notify: Pick<WorkerQueues['notify'], 'addBulk'>;
  teams?: Pick<TeamsFeed, 'alertEvents'> | undefined;
}

/**
 * Queues the delivery jobs of committed events for every destination at once (the commit put each
 * event in every destination's outbox), so neither waits for the other: a Slack outage does not
 * hold a change back from Teams. A failed Teams enqueue is logged, not thrown; a failed Slack
 * enqueue is thrown. Either way the next tick's sweep queues the job again from the outbox.
 */
export async function enqueueAlertEvents(targets: AlertEventTargets, events: readonly AlertEvent[], logger: Logger): Promise<void> {
  if (events.length === 0) return;
  const [slack, teams] = await Promise.allSettled([targets.notify.addBulk(deliveryJobs(events)), targets.teams?.alertEvents(events)]);
  if (teams.status === 'rejected') logger.warn({ err: teams.reason }, 'could not queue alert changes for Teams; Slack delivery queues them again');
  if (slack.status === 'rejected') throw slack.reason;
}

function deliveryJobs(events: readonly AlertEvent[]): IdentifiedJob<DeliverData>[] {
  return events.map((e) => ({
    name: DELIVER_JOB,
    data: { alertId: e.state.id },
    opts: { ...DELIVER_OPTIONS, jobId: deliverJobId(e.state.id, e.version) },
  }));
}

/**
 * Events committed but whose delivery job was never queued (the process died, Redis went away
 * between the two), or whose job failed for good, are queued again on every tick; a job already
 * queued for the same change keeps its id, so this is a no-op for deliveries on their way. Teams'
 * outbox is swept the same way.
 */
export async function relayPending(deps: Pick<AlertProcessorDeps, 'evaluate' | 'deliver' | 'queues' | 'teams'>): Promise<{ revived: number }> {
  const { logger, store } = deps.evaluate;
  const { outbox } = deps.deliver;
  // A change a process of the earlier release queued in its own outbox layout joins this one's first.
  const moved = await store.upgradeOutboxes().catch((error: unknown) => (logger.warn({ err: error }, 'could not look for changes in the outboxes of an earlier release'), 0));
  if (moved > 0) logger.info({ moved }, 'moved alert changes from the outboxes of an earlier release');
  const heads = await Promise.all((await outbox.pendingIds()).map((id) => outbox.next(id)));
  const events = heads.flatMap((event) => (event ? [event] : []));
  // The head's own id: a job already queued for it makes this a no-op; a failed one is revived.
  let revived = await addOrRevive(deps.queues.notify, deliveryJobs(events));
  revived += (await deps.teams?.relay().catch((error: unknown) => (logger.warn({ err: error }, 'could not re-queue the Teams outbox'), 0))) ?? 0;
  if (revived > 0) logger.warn({ revived }, 'revived alert deliveries that had failed for good');
  return { revived };
}
