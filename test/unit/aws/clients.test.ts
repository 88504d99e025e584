import { describe, expect, it } from 'vitest';
import { CONNECTION_TIMEOUT_MS, COST_EXPLORER_REGION, createAwsClients, REQUEST_TIMEOUT_MS } from '../../../src/aws/clients.js';
import { silentLogger } from '../../../src/lib/logger.js';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

describe('createAwsClients', () => {
  it('gives every client timeouts that fail the attempt, three attempts, and Cost Explorer us-east-1', async () => {
    const clients = createAwsClients({ region: 'eu-west-2', logger: silentLogger(), credentials });
    for (const client of [clients.s3, clients.cloudWatch, clients.costExplorer]) {
      expect(await client.config.maxAttempts()).toBe(3);
      const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout?: boolean }> };
      const handlerConfig = await handler.configProvider;
      expect(handlerConfig.connectionTimeout).toBe(CONNECTION_TIMEOUT_MS);
      expect(handlerConfig.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
      // Only a warning otherwise, and the request waits for ever.
      expect(handlerConfig.throwOnRequestTimeout).toBe(true);
    }
    expect(await clients.s3.config.region()).toBe('eu-west-2');
    expect(await clients.cloudWatch.config.region()).toBe('eu-west-2');
    expect(await clients.costExplorer.config.region()).toBe(COST_EXPLORER_REGION);
    expect(clients.s3.config.followRegionRedirects).toBe(true);
    expect(clients.s3.config.forcePathStyle).toBe(false);
  });

  it('uses path-style S3 URLs when an endpoint is given', async () => {
    const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000', logger: silentLogger(), credentials });
    expect(clients.s3.config.forcePathStyle).toBe(true);
    const endpoint = await clients.costExplorer.config.endpoint!();
    expect(endpoint.hostname).toBe('127.0.0.1');
  });
});

describe('the AWS SDK logger', () => {
  it('logs a failed call (an expected "not set" answer) at debug, without its input, never at error', async () => {
    const { createServer } = await import('node:http');
    const { Writable } = await import('node:stream');
    const { createLogger } = await import('../../../src/lib/logger.js');
    const { GetBucketPolicyStatusCommand } = await import('@aws-sdk/client-s3');
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    try {
      const port = (server.address() as { port: number }).port;
      const clients = createAwsClients({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, logger: createLogger({ level: 'debug', destination }), credentials });
      await expect(clients.s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'case-docs-secret-name' }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
      clients.s3.destroy();
    } finally {
      server.close();
    }
    const failed = lines.filter((l) => l.msg === 'aws call failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 20, commandName: 'GetBucketPolicyStatusCommand', errorName: 'NoSuchBucketPolicy' });
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('case-docs-secret-name');
  });
});
