import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import { AWS_SERVICE_LABELS, AwsServiceHealth, type AwsServiceLabel } from '../aws/service-health.js';
import { COMMAND_DURATION_BUCKETS, JOB_DURATION_BUCKETS, UPLOAD_DURATION_BUCKETS, UPLOAD_SIZE_BUCKETS } from './buckets.js';

/** Label values of `utility_operations_total{status}`, as the seed guide names them. */
export type OperationStatus = 'success' | 'failure';

/** Every status an operation can end with; each series exists from the start, at 0. */
export const OPERATION_STATUSES: readonly OperationStatus[] = ['success', 'failure'];

/**
 * The seed guide's operations, recorded at 0 as soon as the metrics exist: a counter that appears
 * only with its first failure reads as 0 to `increase()` and `rate()`, so that failure never shows.
 */
export const SEED_OPERATIONS = ['s3_upload', 's3_delete', 's3_list'] as const;

/** The bot's own test upload, as a whole (`utility_operations_total{operation="s3_test_upload"}`). */
export const TEST_UPLOAD_OPERATION = 's3_test_upload';

/** The outcomes of a job or an alert evaluation. */
const OUTCOMES = ['success', 'failure'] as const;
/** A job's outcomes: a delivery put back to wait (busy alert, rate limit) is `delayed`, not a failure. */
const JOB_OUTCOMES = [...OUTCOMES, 'delayed'] as const;

/** The bot's own AWS calls whose first failure must show: the test upload, cleanup, listings, metrics and costs. */
const WATCHED_AWS_CALLS: Readonly<Record<string, readonly string[]>> = {
  S3: ['PutObject', 'GetObject', 'DeleteObject', 'DeleteObjects', 'ListObjectsV2', 'ListObjectVersions'],
  CloudWatch: ['GetMetricData'],
  CostExplorer: ['GetCostAndUsage', 'GetCostForecast'],
  CloudTrail: ['LookupEvents'],
};
const AWS_OUTCOMES = ['success', 'throttled', 'client_error', 'server_error', 'network_error'] as const;

/** The Slack Web API methods the bot calls, and how a call can end. */
const SLACK_METHODS = ['chat.postMessage', 'chat.update', 'views.publish', 'auth.test'] as const;
const SLACK_OUTCOMES = ['ok', 'error', 'rate_limited', 'http_error', 'network_error'] as const;

/**
 * The jobs each worker queue runs (its name → job names), so their duration series exist from the
 * start; a unit test keeps it equal to the queues' own constants.
 */
export const QUEUE_JOBS: Readonly<Record<string, readonly string[]>> = {
  's3-chatops-alerts': ['alert-tick', 'alert-evaluate', 'digest'],
  's3-chatops-notify': ['alert-deliver'],
  's3-chatops-cleanup': ['cleanup'],
  's3-chatops-test-upload': ['scheduled-test-upload'],
  's3-chatops-teams': ['teams-alert', 'teams-digest', 'teams-bot-alert'],
};

/** The seed guide's upload metrics, kept under their names so existing panels keep working. */
export interface UploadMetrics {
  /** `utility_operations_total{operation, status}`: `s3_upload`, `s3_upload_<file type>`, `s3_delete`, `s3_list`, … */
  operations: Counter<'operation' | 'status'>;
  /** `s3_upload_duration_seconds`: a real histogram, so `histogram_quantile` over `_bucket` works. */
  uploadDuration: Histogram<'status'>;
  /** `s3_upload_size_bytes`: sizes of recorded uploads. */
  uploadSize: Histogram<'status'>;
  /** `s3_operation_duration_seconds{operation, status}`: every operation run through `monitorS3Operation`. */
  operationDuration: Histogram<'operation' | 'status'>;
}

/** Everything the bot and the worker export besides the default process metrics. */
export interface BotMetrics extends UploadMetrics {
  registry: Registry;
  /** The bot's own AWS SDK calls. `outcome`: success, throttled, client_error, server_error, timeout, network_error. */
  awsCalls: Counter<'service' | 'operation' | 'outcome'>;
  /** AWS calls that ran out of time (deadline or attempt timeouts), by service (`aws_s3`, `aws_cloudwatch`, `aws_cost_explorer`, `aws_cloudtrail`); 0 from the start. */
  awsTimeouts: Counter<'service'>;
  /** Which services are timing out now; read by `/readyz` and by the `s3chatops_aws_timing_out` gauge. */
  awsHealth: AwsServiceHealth;
  /** Metrics asked of CloudWatch GetMetricData (billed per thousand). */
  cloudWatchMetricsRequested: Counter<never>;
  /** Cost Explorer requests (each billed USD 0.01). */
  costExplorerRequests: Counter<'operation'>;
  /** Slack Web API HTTP requests. `outcome`: ok, error (ok:false), rate_limited, http_error, network_error. */
  slackCalls: Counter<'method' | 'outcome'>;
  /** Slack 429 answers, and the seconds Slack told us to wait before retrying. */
  slackRateLimited: Counter<'method'>;
  slackRateLimitWait: Counter<'method'>;
  /** Deliveries a destination refused for good (`channel_not_found`, `invalid_auth`, Teams `http_404`, …): a person must act. */
  deliveryRefusals: Counter<'destination' | 'reason'>;
  /** Slash command computations, by verb and outcome (success, failure). */
  commandDuration: Histogram<'command' | 'outcome'>;
  /** Background jobs, by queue, job name and outcome (success, failure). */
  jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  /** Jobs per queue and state (waiting, active, delayed, failed, …), filled at scrape time. */
  queueJobs: Gauge<'queue' | 'state'>;
  /**
   * Alerts by rule and state (ok, pending, firing, resolved, snoozed, acknowledged), read from the
   * shared alert store at scrape time: every worker reports the same counts (take `max`, not `sum`).
   */
  alerts: Gauge<'rule' | 'state'>;
  /** Alert evaluation runs by outcome (success, failure). */
  alertEvaluations: Counter<'outcome'>;
  /** When an alert evaluation last succeeded, as Unix seconds (the worker's start until one has). */
  alertLastSuccess: Gauge<never>;
  /** The longest gap between two runs of `schedules.alertEvaluation`, in seconds: how stale is too stale. */
  alertEvaluationInterval: Gauge<never>;
}

/** The seed guide's metrics on `registry`; calling it again on the same registry returns the same ones. */
export function uploadMetrics(registry: Registry): UploadMetrics {
  // A histogram's series are zeroed only as it is made: prom-client's zero() wipes what a series observed.
  const byStatus = OPERATION_STATUSES.map((status) => ({ status }));
  const metrics: UploadMetrics = {
    operations: once(registry, 'utility_operations_total', (registers) =>
      new Counter({ name: 'utility_operations_total', help: 'Operations by name and status (seed guide names: s3_upload, s3_upload_<file type>, s3_delete, s3_list).', labelNames: ['operation', 'status'], registers }),
    ),
    uploadDuration: once(registry, 's3_upload_duration_seconds', (registers) =>
      zeroed(new Histogram({ name: 's3_upload_duration_seconds', help: 'Duration of S3 uploads in seconds.', labelNames: ['status'], buckets: UPLOAD_DURATION_BUCKETS, registers }), byStatus),
    ),
    uploadSize: once(registry, 's3_upload_size_bytes', (registers) =>
      zeroed(new Histogram({ name: 's3_upload_size_bytes', help: 'Size of S3 uploads in bytes.', labelNames: ['status'], buckets: UPLOAD_SIZE_BUCKETS, registers }), byStatus),
    ),
    operationDuration: once(registry, 's3_operation_duration_seconds', (registers) =>
      zeroed(
        new Histogram({ name: 's3_operation_duration_seconds', help: 'Duration of monitored S3 operations in seconds.', labelNames: ['operation', 'status'], buckets: UPLOAD_DURATION_BUCKETS, registers }),
        SEED_OPERATIONS.flatMap((operation) => byStatus.map(({ status }) => ({ operation, status }))),
      ),
    ),
  };
  countOperations(metrics, SEED_OPERATIONS);
  return metrics;
}

/** Makes `utility_operations_total` exist at 0 for `operations` and every status; a series that exists keeps its count. */
export function countOperations(metrics: Pick<UploadMetrics, 'operations'>, operations: Iterable<string>): void {
  for (const operation of operations) for (const status of OPERATION_STATUSES) metrics.operations.inc({ operation, status }, 0);
}

/** `histogram` with a series at 0 for each of `labelSets`; only for a histogram just made. */
function zeroed<L extends string>(histogram: Histogram<L>, labelSets: readonly Partial<Record<L, string>>[]): Histogram<L> {
  for (const labels of labelSets) histogram.zero(labels);
  return histogram;
}

/** All of the product's metrics on `registry` (idempotent per registry). */
export function botMetrics(registry: Registry): BotMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    once(registry, name, (registers) => new Counter<L>({ name, help, labelNames, registers }));
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    once(registry, name, (registers) => new Histogram<L>({ name, help, labelNames, buckets, registers }));
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    once(registry, name, (registers) => new Gauge<L>({ name, help, labelNames, registers }));
  const metrics: BotMetrics = {
    registry,
    ...uploadMetrics(registry),
    awsCalls: counter('s3chatops_aws_api_calls_total', "The bot's own AWS API calls by service, operation and outcome.", ['service', 'operation', 'outcome']),
    awsTimeouts: awsTimeoutsCounter(registry),
    awsHealth: awsHealthOf(registry),
    cloudWatchMetricsRequested: counter('s3chatops_cloudwatch_metrics_requested_total', 'Metrics requested from CloudWatch GetMetricData (billed per 1,000).', []),
    costExplorerRequests: counter('s3chatops_cost_explorer_requests_total', 'Cost Explorer requests made (USD 0.01 each).', ['operation']),
    slackCalls: counter('s3chatops_slack_api_calls_total', 'Slack Web API requests by method and outcome.', ['method', 'outcome']),
    slackRateLimited: counter('s3chatops_slack_rate_limited_total', 'Slack Web API answers of 429 (rate limited).', ['method']),
    slackRateLimitWait: counter('s3chatops_slack_rate_limit_wait_seconds_total', 'Seconds Slack asked us to wait (Retry-After) before retrying.', ['method']),
    deliveryRefusals: counter('s3chatops_delivery_refusals_total', 'Alert and digest deliveries refused for good by their destination, by destination and reason; each needs a person.', ['destination', 'reason']),
    commandDuration: histogram('s3chatops_command_duration_seconds', 'Slash command computations by command and outcome.', ['command', 'outcome'], COMMAND_DURATION_BUCKETS),
    jobDuration: once(registry, 's3chatops_job_duration_seconds', (registers) =>
      zeroed(
        new Histogram<'queue' | 'job' | 'outcome'>({ name: 's3chatops_job_duration_seconds', help: 'Background jobs by queue, job name and outcome (success, failure, delayed).', labelNames: ['queue', 'job', 'outcome'], buckets: JOB_DURATION_BUCKETS, registers }),
        Object.entries(QUEUE_JOBS).flatMap(([queue, jobs]) => jobs.flatMap((job) => JOB_OUTCOMES.map((outcome) => ({ queue, job, outcome })))),
      ),
    ),
    queueJobs: once(registry, 's3chatops_queue_jobs', (registers) =>
      new Gauge<'queue' | 'state'>({
        name: 's3chatops_queue_jobs',
        help: 'Jobs per queue and state.',
        labelNames: ['queue', 'state'],
        registers,
        async collect() {
          await collectQueueDepths(this);
        },
      }),
    ),
    alerts: once(registry, 's3chatops_alerts', (registers) =>
      new Gauge<'rule' | 'state'>({
        name: 's3chatops_alerts',
        help: 'Alerts by rule and state, from the shared alert store (the same on every worker: aggregate with max).',
        labelNames: ['rule', 'state'],
        registers,
        async collect() {
          await collectAlertStates(this);
        },
      }),
    ),
    alertEvaluations: counter('s3chatops_alert_evaluations_total', 'Alert evaluation runs by outcome.', ['outcome']),
    alertLastSuccess: gauge('s3chatops_alert_last_success_timestamp_seconds', "When an alert evaluation last succeeded in this deployment, kept in Redis across restarts (Unix seconds; until one has, when the first worker started).", []),
    alertEvaluationInterval: gauge('s3chatops_alert_evaluation_interval_seconds', 'The longest gap between two scheduled alert evaluations (schedules.alertEvaluation), in seconds.', []),
  };
  // Counters that first appear with a failure hide it from increase() and rate(): each exists at 0.
  // inc(…, 0) keeps whatever a series already counts, so calling this again changes nothing.
  countOperations(metrics, [TEST_UPLOAD_OPERATION]);
  for (const outcome of OUTCOMES) metrics.alertEvaluations.inc({ outcome }, 0);
  for (const [service, operations] of Object.entries(WATCHED_AWS_CALLS)) {
    for (const operation of operations) for (const outcome of AWS_OUTCOMES) metrics.awsCalls.inc({ service, operation, outcome }, 0);
  }
  for (const method of SLACK_METHODS) {
    metrics.slackRateLimited.inc({ method }, 0);
    metrics.slackRateLimitWait.inc({ method }, 0);
    for (const outcome of SLACK_OUTCOMES) metrics.slackCalls.inc({ method, outcome }, 0);
  }
  return metrics;
}

/** `s3chatops_aws_timeouts_total{service}`, with every service at 0 so the first timeout shows in `increase()`. */
function awsTimeoutsCounter(registry: Registry): Counter<'service'> {
  return once(registry, 's3chatops_aws_timeouts_total', (registers) => {
    const counter = new Counter<'service'>({ name: 's3chatops_aws_timeouts_total', help: 'AWS calls that did not answer within their deadline, by service.', labelNames: ['service'], registers });
    for (const service of AWS_SERVICE_LABELS) counter.inc({ service }, 0);
    return counter;
  });
}

// One tracker per registry, as every metric is; the gauge reads it at scrape time.
const awsHealthByRegistry = new WeakMap<Registry, AwsServiceHealth>();

/** The registry's AWS service health, with `s3chatops_aws_timing_out{service}` (1 while timing out) reading it. */
function awsHealthOf(registry: Registry): AwsServiceHealth {
  let health = awsHealthByRegistry.get(registry);
  if (health) return health;
  const tracker = (health = new AwsServiceHealth());
  awsHealthByRegistry.set(registry, tracker);
  once(registry, 's3chatops_aws_timing_out', (registers) =>
    new Gauge<'service'>({
      name: 's3chatops_aws_timing_out',
      help: 'Whether an AWS service is timing out now: 1 while its last call ran out of time within the last minute and it has not answered since.',
      labelNames: ['service'],
      registers,
      collect() {
        const timingOut = new Set<AwsServiceLabel>(tracker.timingOut());
        for (const service of AWS_SERVICE_LABELS) this.set({ service }, timingOut.has(service) ? 1 : 0);
      },
    }),
  );
  return health;
}

/** One queue's job counts by state, as BullMQ's `Queue.getJobCounts()` returns them. */
export interface QueueDepth {
  queue: string;
  counts: Record<string, number>;
}

/** Reads the depth of the queues at scrape time. */
export type QueueDepthSource = () => Promise<QueueDepth[]>;

// Per gauge (so per registry), the sources the worker registered; read when Prometheus scrapes.
const queueDepthSources = new WeakMap<Gauge<'queue' | 'state'>, QueueDepthSource[]>();

/** Makes `read` fill `s3chatops_queue_jobs` at every scrape. */
export function addQueueDepthSource(metrics: Pick<BotMetrics, 'queueJobs'>, read: QueueDepthSource): void {
  const sources = queueDepthSources.get(metrics.queueJobs) ?? [];
  sources.push(read);
  queueDepthSources.set(metrics.queueJobs, sources);
}

async function collectQueueDepths(gauge: Gauge<'queue' | 'state'>): Promise<void> {
  const sources = queueDepthSources.get(gauge) ?? [];
  if (sources.length === 0) return;
  // A scrape while Redis is down shows no queue series rather than stale ones, and never fails.
  const results = await Promise.allSettled(sources.map((read) => read()));
  gauge.reset();
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    for (const { queue, counts } of result.value) {
      for (const [state, count] of Object.entries(counts)) gauge.set({ queue, state }, count);
    }
  }
}

/** An alert's rule and state with how many alerts are in it. */
export interface AlertStateCount {
  rule: string;
  state: string;
  count: number;
}

/** Reads the alerts' states at scrape time. */
export type AlertStateSource = () => Promise<readonly AlertStateCount[]>;

const alertStateSources = new WeakMap<Gauge<'rule' | 'state'>, AlertStateSource>();

/** Makes `read` fill `s3chatops_alerts` at every scrape, so every worker shows the store's current states. */
export function setAlertStateSource(metrics: Pick<BotMetrics, 'alerts'>, read: AlertStateSource): void {
  alertStateSources.set(metrics.alerts, read);
}

async function collectAlertStates(gauge: Gauge<'rule' | 'state'>): Promise<void> {
  const read = alertStateSources.get(gauge);
  if (!read) return;
  let counts: readonly AlertStateCount[];
  try {
    counts = await read();
  } catch {
    // Redis away: keep the last counts read rather than report every alert gone.
    return;
  }
  gauge.reset();
  for (const { rule, state, count } of counts) gauge.inc({ rule, state }, count);
}

/** The metric named `name` on `registry`, created by `create` the first time. */
function once<M extends Metric>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
