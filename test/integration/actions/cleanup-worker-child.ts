// A worker process for the kill test: runs cleanup jobs from the queue until it is killed.
import { Redis } from 'ioredis';
import { tokenMessenger } from '../../../src/actions/slack-messenger.js';
import { createAwsClients } from '../../../src/aws/clients.js';
import { startCleanupWorker } from '../../../src/jobs/cleanup-worker.js';
import { createLogger } from '../../../src/lib/logger.js';

const env = process.env;
const logger = createLogger({ level: 'warn', destination: process.stderr });
const { s3 } = createAwsClients({ region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL!, logger, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
startCleanupWorker(
  {
    s3,
    logger,
    now: () => new Date(),
    messenger: tokenMessenger({ token: 'xoxb-test-token', apiUrl: env.SLACK_API_URL!, retryConfig: { retries: 0 } }),
    batchSize: Number(env.CLEANUP_BATCH_SIZE ?? 1000),
    progressEveryMs: 0,
  },
  { connection, prefix: env.QUEUE_PREFIX!, lockDuration: 3_000, stalledInterval: 1_000 },
);
process.stdout.write('ready\n');
