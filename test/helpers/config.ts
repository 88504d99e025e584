// The one way tests build a Config: through the loader's own schemas, from a YAML file's content
// (as an object) and an environment.
import type { Config } from '../../src/config/load.js';
import { envSchema, fileConfigSchema } from '../../src/config/schema.js';
import { awsTestEnv, redisUrl } from './services.js';

/** The signing secret of every test bot; requests are signed with it. */
export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';

/**
 * A configuration built the way `loadConfig` builds it: `file` is the YAML's content (a bucket
 * list alone is short for those buckets and a $200 budget), `env` adds to a bot's minimal
 * environment (Slack token and secret, region, any free port).
 */
export function testConfig(file: Record<string, unknown> | Array<{ name: string; alias?: string }>, env: Record<string, string> = {}): Config {
  const parsedFile = fileConfigSchema.parse(Array.isArray(file) ? { buckets: file, budget: { monthlyUsd: 200 } } : file);
  const parsedEnv = envSchema.parse({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    AWS_REGION: 'us-east-1',
    PORT: '0',
    ...env,
  });
  return {
    ...parsedFile,
    env: parsedEnv,
    region: parsedEnv.AWS_REGION ?? parsedEnv.AWS_DEFAULT_REGION ?? 'us-east-1',
    configFile: 'test.yml',
    slack: {
      botToken: parsedEnv.SLACK_BOT_TOKEN,
      signingSecret: parsedEnv.SLACK_SIGNING_SECRET,
      appToken: parsedEnv.SLACK_APP_TOKEN,
      apiUrl: parsedEnv.SLACK_API_URL,
    },
  };
}

/** The environment of a bot pointed at moto, the test Redis and a fake Slack. */
export function servicesEnv(slack: { apiUrl: string }): Record<string, string> {
  return { ...awsTestEnv(), REDIS_URL: redisUrl(), SLACK_API_URL: slack.apiUrl };
}
