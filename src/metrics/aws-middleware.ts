import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { awsServiceLabel } from '../aws/service-health.js';
import type { BotMetrics } from './definitions.js';

/** What AWS SDK v3 clients have in common that instrumentation needs. */
export interface InstrumentableClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: MiddlewareStack<any, any>;
}

/** How a call ended, as `s3chatops_aws_api_calls_total{outcome}` says it. */
export type AwsCallOutcome = 'success' | 'throttled' | 'client_error' | 'server_error' | 'timeout' | 'network_error';

const MIDDLEWARE_NAME = 's3ChatopsMetrics';

/**
 * Returns a function that adds the metrics middleware to an SDK client: every call is counted by
 * service, operation and outcome, and what the monitoring itself costs (CloudWatch metrics
 * requested, Cost Explorer requests) is counted too. One count per call, whatever the retries.
 */
export function instrumentAwsClient(
  metrics: Pick<BotMetrics, 'awsCalls' | 'cloudWatchMetricsRequested' | 'costExplorerRequests'> & Partial<Pick<BotMetrics, 'awsTimeouts' | 'awsHealth'>>,
): (client: InstrumentableClient) => void {
  return (client) => {
    client.middlewareStack.add(
      (next: InitializeHandler<object, object>, context: HandlerExecutionContext) => async (args: InitializeHandlerArguments<object>) => {
        const service = (context.clientName ?? 'unknown').replace(/Client$/, '');
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const label = awsServiceLabel(context.clientName ?? '');
        countCost(metrics, service, operation, args.input);
        try {
          const output = await next(args);
          metrics.awsCalls.inc({ service, operation, outcome: 'success' });
          if (label) metrics.awsHealth?.recordAnswer(label);
          return output;
        } catch (error) {
          const outcome = awsCallOutcome(error);
          metrics.awsCalls.inc({ service, operation, outcome });
          if (label && outcome === 'timeout') {
            metrics.awsTimeouts?.inc({ service: label });
            metrics.awsHealth?.recordTimeout(label);
          } else if (label && outcome !== 'network_error') metrics.awsHealth?.recordAnswer(label);
          throw error;
        }
      },
      { step: 'initialize', name: MIDDLEWARE_NAME, override: true },
    );
  };
}

function countCost(metrics: Pick<BotMetrics, 'cloudWatchMetricsRequested' | 'costExplorerRequests'>, service: string, operation: string, input: unknown): void {
  if (service === 'CloudWatch' && operation === 'GetMetricData') {
    const queries = (input as { MetricDataQueries?: Array<{ ReturnData?: boolean }> } | undefined)?.MetricDataQueries ?? [];
    // Only queries that return data are billed; expressions' hidden inputs are not.
    metrics.cloudWatchMetricsRequested.inc(queries.filter((q) => q.ReturnData !== false).length);
  }
  if (service === 'CostExplorer') metrics.costExplorerRequests.inc({ operation });
}

/** Sorts an SDK error into an outcome without letting error names (unbounded) become labels. */
export function awsCallOutcome(error: unknown): AwsCallOutcome {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (e?.$retryable?.throttling || status === 429 || /Throttl|TooManyRequests|SlowDown|RequestLimitExceeded/i.test(e?.name ?? '')) return 'throttled';
  // The attempt timeout (after the SDK's retries) or the call's deadline cancelling it.
  if (status === undefined && (e?.name === 'TimeoutError' || e?.name === 'AbortError')) return 'timeout';
  if (status === undefined) return 'network_error';
  return status >= 500 ? 'server_error' : 'client_error';
}
