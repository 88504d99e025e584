/** The job processors of alert evaluation and delivery; each is idempotent, so a retried job changes nothing twice. */
import type { Job } from 'bullmq';
import { evaluateChunk, type EvaluateDeps } from '../alerts/evaluate.js';
import { planChunks } from '../alerts/plan.js';
import { bucketRules } from '../alerts/rules/index.js';
import type { AlertEvent } from '../alerts/types.js';
import { deliverAlert, type DeliverDeps } from '../notify/deliver.js';
import type { TeamsFeed } from '../notify/teams-delivery.js';
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
  /** The Teams queue, when TEAMS_WEBHOOK_URL is set: changes go there too, independently of Slack. */
  teams?: Pick<TeamsFeed, 'alertEvents'>;
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
  await enqueueDeliveries(deps.queues, result.events);
  // Best effort: Slack's delivery of each event queues it for Teams again before it leaves the outbox.
  await deps.teams?.alertEvents(result.events).catch((error: unknown) => logger.warn({ err: error }, 'could not queue alert changes for Teams; Slack delivery queues them again'));
  return { outcome: 'evaluated', events: result.events.length };
}

/** Delivers an alert's pending events in order. */
export async function processDeliver(deps: AlertProcessorDeps, job: Job<DeliverData>): Promise<{ delivered: number }> {
  return { delivered: await deliverAlert(deps.deliver, job.data.alertId) };
}

/** One delivery job per event; the id keeps a repeated enqueue of the same change a no-op. */
export async function enqueueDeliveries(queues: Pick<WorkerQueues, 'notify'>, events: readonly AlertEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queues.notify.addBulk(
    events.map((e) => ({
      name: DELIVER_JOB,
      data: { alertId: e.state.id } satisfies DeliverData,
      opts: { ...DELIVER_OPTIONS, jobId: deliverJobId(e.state.id, e.version) },
    })),
  );
}

/**
 * Events committed but whose delivery job was never queued (the process died, Redis went away
 * between the two) are queued again on every tick; a job already queued for the same change
 * keeps its id, so this is a no-op for deliveries on their way.
 */
async function relayPending(deps: AlertProcessorDeps): Promise<void> {
  const { store } = deps.evaluate;
  const pending = await store.pendingIds();
  const heads = await Promise.all(pending.map(async (id) => ({ id, event: await store.nextEvent(id) })));
  const events = heads.flatMap((h) => (h.event ? [h.event] : []));
  // The head's own id: a job already queued for it makes this a no-op.
  await enqueueDeliveries(deps.queues, events);
}
