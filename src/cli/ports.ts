import { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import { createFleet } from '../aws/fleet.js';
import { cloudTrailPacer, createAwsPorts } from '../aws/create-ports.js';
import type { AwsPorts } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { CachePort } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import { RedisCache } from '../lib/redis-cache.js';
import { reportS3Progress } from './progress.js';

export interface PortsOptions {
  logger: Logger;
  /** Set when Redis answered: Cost Explorer answers are cached there. */
  redis?: Redis;
  now?: () => Date;
  /** Where progress of long S3 work goes (a terminal's stderr); none when absent. */
  progress?: (line: string) => void;
}

/** The ports and how to let go of what they hold open (SDK sockets), so the process can exit. */
export interface PortsHandle {
  ports: AwsPorts;
  close?: () => void;
}

/** A cache that never holds anything: the command line without Redis asks Cost Explorer each time. */
const noCache: CachePort = {
  get: async () => null,
  set: async () => undefined,
};

/** The real AWS ports over the SDK clients, configured from the environment. */
export async function createDefaultPorts(config: Config, options: PortsOptions): Promise<PortsHandle> {
  const { logger } = options;
  const { progress, redis } = options;
  // Progress of long S3 work, from every bucket's client alike.
  const fleet = createFleet(config, { logger, ...(progress ? { instrument: (client) => { if (client instanceof S3Client) reportS3Progress(client, progress); } } : {}) });
  const ports = createAwsPorts({
    clients: fleet.clients,
    places: fleet.places,
    cache: redis ? new RedisCache(redis) : noCache,
    config,
    logger,
    now: options.now ?? (() => new Date()),
    ...(redis ? { trailPacer: (place) => cloudTrailPacer(redis, fleet.clients.endpoint ?? 'aws', place, logger) } : {}),
  });
  return {
    ports,
    close: () => fleet.release(),
  };
}
