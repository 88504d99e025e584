/** Prometheus metrics: the registry, what the bot and the worker export, and the S3Monitor API. */
export { createMetricsRegistry, type MetricsRegistryOptions } from './registry.js';
export { botMetrics, uploadMetrics, addQueueDepthSource, type BotMetrics, type UploadMetrics, type QueueDepth, type QueueDepthSource } from './definitions.js';
export { S3Monitor, fileTypeLabel, UPLOAD_OPERATION, type UploadOperation, type S3MonitorOptions, type MonitorDecorator } from './s3-monitor.js';
export { instrumentAwsClient, awsCallOutcome, type InstrumentableClient } from './aws-middleware.js';
export { countingSlackFetch, slackMethodOf } from './slack-fetch.js';
export { observeJob, setAlertStateSource, recordAlertEvaluation, type JobLabels, type AlertStateCount, type AlertStateSource } from './worker.js';
export { metricsRoute, startMetricsServer, type HttpRoute, type MetricsServer, type MetricsServerOptions } from './server.js';
