import type { AwsPorts, BucketFacts } from '../../../src/aws/ports.js';
import type { PortsHandle } from '../../../src/cli/ports.js';
import { createRegistry } from '../../../src/commands/registry.js';
import type { CommandSpec } from '../../../src/commands/types.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { bareFacts } from '../../fixtures/reports/buckets.js';

export const CONFIG_YAML = `
buckets:
  - name: docs-bucket-1
    alias: docs
  - name: logs-bucket-2
`;

export const ENV = { AWS_REGION: 'us-east-1', CONFIG_FILE: 'test.yml', REDIS_URL: 'redis://127.0.0.1:1' };

export function facts(bucket: string, problems: BucketFacts['problems'] = []): BucketFacts {
  return { ...bareFacts(bucket), versioning: 'Enabled', problems };
}

/** AWS ports made of plain objects: a bucket's region, two objects, no metrics, a fixed cost. */
export function fakePorts(overrides: Partial<AwsPorts> = {}): AwsPorts {
  return {
    facts: { getFacts: async (bucket) => facts(bucket) },
    listing: {
      listNewest: async () => ({
        objects: [{ key: 'a.pdf', size: 10, lastModified: new Date('2025-01-01T00:00:00Z'), storageClass: 'STANDARD' }],
        scanned: 1,
        truncated: false,
      }),
    },
    metrics: { getMetricData: async () => new Map() },
    costs: {
      getDailyCost: async () => ({ days: [{ date: '2025-01-01', total: 1.5, groups: {} }], currency: 'USD', fetchedAt: new Date(0) }),
      getForecast: async () => null,
    },
    ...overrides,
  };
}

export function handle(ports: AwsPorts = fakePorts()): PortsHandle {
  return { ports };
}

/** Commands of our own whose reports read the fake ports, so the CLI is tested apart from the real reports. */
export const fakeSpecs: CommandSpec[] = [
  {
    verb: 'status',
    summary: 'look at a bucket',
    usage: 'status [bucket]',
    example: 'status docs',
    bucket: 'optional',
    options: {},
    async run(ctx, args) {
      if (!args.bucket) return { message: { summary: 'Fleet', blocks: [{ kind: 'text', text: 'every bucket' }] }, data: { fleet: ctx.config.buckets.map((b) => b.name) } };
      const f = await ctx.aws.facts.getFacts(args.bucket.name);
      return {
        message: { summary: `Status of ${f.bucket}`, blocks: [{ kind: 'header', text: f.bucket }, { kind: 'fields', fields: [{ label: 'Region', value: f.region ?? '?' }] }] },
        data: { bucket: f.bucket, region: f.region, at: ctx.now().toISOString() },
      };
    },
  },
  {
    verb: 'costs',
    summary: 'spend',
    usage: 'costs [--days N]',
    example: 'costs --days 7',
    bucket: 'none',
    options: { days: { type: 'string' } },
    async run(ctx) {
      const cost = await ctx.aws.costs.getDailyCost({ start: '2025-01-01', end: '2025-01-02', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } });
      return { message: { summary: `Cost ${cost.days[0]!.total}`, blocks: [] }, data: cost };
    },
  },
  {
    verb: 'broken',
    summary: 'always denied',
    usage: 'broken',
    example: 'broken',
    bucket: 'none',
    options: {},
    async run() {
      throw new UserFacingError('aws_access_denied', 'AWS refused s3:GetBucketPolicy on docs-bucket-1; grant it to the bot\'s role.');
    },
  },
  { verb: 'help', summary: 'help', usage: 'help', example: 'help', bucket: 'none', options: {}, run: async () => ({ message: { summary: 'help', blocks: [] }, data: null }) },
];

export const fakeRegistry = createRegistry(fakeSpecs);

/** A writable that keeps what was written. */
export class Capture {
  text = '';
  isTTY?: boolean;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** An S3 client standing in for doctor's test-prefix checks: answers as S3 does, refuses the operations named. */
export class FakeS3 {
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];
  constructor(private readonly denied: readonly string[] = [], private readonly versioned = true) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    this.calls.push({ command: name, input: command.input });
    if (this.denied.includes(name)) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    switch (name) {
      case 'PutObject':
        return this.versioned ? { VersionId: 'v-1' } : {};
      case 'GetObjectTagging':
        return { TagSet: [{ Key: 's3-chatops', Value: 'test' }] };
      case 'GetObject':
        return { Body: { transformToByteArray: async () => new Uint8Array(1024) } };
      default:
        return {};
    }
  }
}
