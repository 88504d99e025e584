import { describe, expect, it } from 'vitest';
import { CONNECTION_TIMEOUT_MS, COST_EXPLORER_REGION, createAwsClients, REQUEST_TIMEOUT_MS } from '../../../src/aws/clients.js';
import { silentLogger } from '../../../src/lib/logger.js';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

describe('createAwsClients', () => {
  it('gives every client timeouts and three attempts, and Cost Explorer us-east-1', async () => {
    const clients = createAwsClients({ region: 'eu-west-2', logger: silentLogger(), credentials });
    for (const client of [clients.s3, clients.cloudWatch, clients.costExplorer]) {
      expect(await client.config.maxAttempts()).toBe(3);
      const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout: number; requestTimeout: number }> };
      const handlerConfig = await handler.configProvider;
      expect(handlerConfig.connectionTimeout).toBe(CONNECTION_TIMEOUT_MS);
      expect(handlerConfig.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
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
