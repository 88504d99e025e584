/** Which AWS services are timing out now, as `/readyz` and `/metrics` show it. */

/** The services as metrics label them. */
export const AWS_SERVICE_LABELS = ['aws_s3', 'aws_cloudwatch', 'aws_cost_explorer', 'aws_cloudtrail'] as const;
export type AwsServiceLabel = (typeof AWS_SERVICE_LABELS)[number];

/** How a person reads each label. */
export const AWS_SERVICE_NAMES: Readonly<Record<AwsServiceLabel, string>> = {
  aws_s3: 'S3',
  aws_cloudwatch: 'CloudWatch',
  aws_cost_explorer: 'Cost Explorer',
  aws_cloudtrail: 'CloudTrail',
};

/** How long after its last timeout a service still counts as timing out, unless it answered since. */
export const TIMING_OUT_WINDOW_MS = 60_000;

/** The label of an SDK client's name (`S3Client`, `CloudWatch`, …); undefined for any other. */
export function awsServiceLabel(clientName: string): AwsServiceLabel | undefined {
  const name = clientName.replace(/Client$/, '');
  if (name === 'S3') return 'aws_s3';
  if (name === 'CloudWatch') return 'aws_cloudwatch';
  if (name === 'CostExplorer') return 'aws_cost_explorer';
  if (name === 'CloudTrail') return 'aws_cloudtrail';
  return undefined;
}

/**
 * Remembers, per service, its last timeout and its last answer. A service is timing out while its
 * last timeout is recent and it has not answered since: one answer clears it, so recovery shows at
 * once, and a service nobody asks stops showing after the window.
 */
export class AwsServiceHealth {
  private readonly lastTimeout = new Map<AwsServiceLabel, number>();
  private readonly lastAnswer = new Map<AwsServiceLabel, number>();

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly windowMs = TIMING_OUT_WINDOW_MS,
  ) {}

  /** A call to `service` ran out of time (its deadline, or every attempt's timeout). */
  recordTimeout(service: AwsServiceLabel): void {
    this.lastTimeout.set(service, this.nowMs());
  }

  /** `service` answered (anything with an HTTP status, an error too). */
  recordAnswer(service: AwsServiceLabel): void {
    this.lastAnswer.set(service, this.nowMs());
  }

  /** The services timing out now, in label order. */
  timingOut(): AwsServiceLabel[] {
    const now = this.nowMs();
    return AWS_SERVICE_LABELS.filter((service) => {
      const timeout = this.lastTimeout.get(service);
      if (timeout === undefined || now - timeout > this.windowMs) return false;
      return (this.lastAnswer.get(service) ?? -Infinity) <= timeout;
    });
  }
}
