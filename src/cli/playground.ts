/** `start` without Slack settings, or `start --demo`: the local playground, said clearly in the terminal. */
import { ConfigError, type Config } from '../config/load.js';
import { redactText, secretValues } from '../config/redact.js';
import { envSchema } from '../config/schema.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { escapeTerminalLines } from '../render/text/index.js';
import type { DemoServices } from '../playground/demo.js';
import type { PlaygroundHandle, PlaygroundOptions } from '../playground/start.js';

interface Output {
  write(chunk: string): unknown;
}

export interface PlaygroundCliDeps {
  demo: boolean;
  io: { stdout: Output; stderr: Output; env: Record<string, string | undefined> };
  /** Loads the configuration from `env` (and, for the demo, its built-in file). */
  loadConfig: (env: Record<string, string | undefined>, readFile?: (path: string) => Promise<string>) => Promise<Config>;
  /** Tests replace what starts the playground and the demo's services. */
  startPlayground?: (config: Config, logger: Logger, options: PlaygroundOptions) => Promise<PlaygroundHandle>;
  startDemoServices?: (options: { logger: Logger; python?: string }) => Promise<DemoServices>;
}

/** The sentence that tells a person where the playground is and how to connect Slack instead. */
export function playgroundBanner(url: string, demo: boolean): string {
  const source = demo ? 'demo data in a local AWS emulator (--demo)' : 'your AWS account';
  return demo
    ? `The playground is on ${url} with ${source}. Open it in a browser and type /s3 help. Ctrl-C stops it.\n`
    : `No Slack settings: the playground is on ${url} with ${source} — set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to connect Slack. Ctrl-C stops it.\n`;
}

/** Starts the playground (and with --demo its emulator and Redis first); returns the exit status once it is running, 1 on a failure it explains. */
export async function runPlayground(deps: PlaygroundCliDeps): Promise<number> {
  const { io } = deps;
  const secrets = secretValues(io.env);
  const fail = (text: string): number => {
    io.stderr.write(`${escapeTerminalLines(redactText(text, secrets))}\n`);
    return 1;
  };
  const level = envSchema.shape.LOG_LEVEL.safeParse(io.env.LOG_LEVEL?.trim() || undefined);
  const logger = createLogger({ level: level.success ? level.data : 'info', secrets });
  let demo: DemoServices | undefined;
  let config: Config;
  // The playground posts nowhere but its own page: a Teams webhook in the environment is left alone.
  const env = { ...io.env, TEAMS_WEBHOOK_URL: undefined };
  try {
    if (deps.demo) {
      const { startDemoServices, DEMO_AWS_ENV } = await import('../playground/demo.js');
      const { demoConfigYaml } = await import('../playground/demo-seed.js');
      const { PLAYGROUND_USER } = await import('../playground/slack-requests.js');
      demo = await (deps.startDemoServices ?? startDemoServices)({ logger, ...(io.env.MOTO_PYTHON ? { python: io.env.MOTO_PYTHON } : {}) });
      // The SDK's default credential chain reads the environment: the demo's dummy keys, for the emulator only.
      delete process.env.AWS_PROFILE;
      delete process.env.AWS_SESSION_TOKEN;
      Object.assign(process.env, DEMO_AWS_ENV);
      const demoEnv = { ...env, ...DEMO_AWS_ENV, AWS_ENDPOINT_URL: demo.awsEndpoint, REDIS_URL: demo.redisUrl, CONFIG_FILE: 'the demo configuration' };
      const yaml = demoConfigYaml(PLAYGROUND_USER.id);
      config = await deps.loadConfig(demoEnv, async () => yaml);
    } else {
      config = await deps.loadConfig(env);
    }
  } catch (error) {
    await demo?.stop();
    if (error instanceof ConfigError) return fail(`${error.message}\nTo try the bot without Slack or an AWS account: npm start -- --demo`);
    const { DemoError } = await import('../playground/demo.js');
    if (error instanceof DemoError) return fail(`s3-chatops: ${error.message}`);
    throw error;
  }
  const start = deps.startPlayground ?? (await import('../playground/start.js')).startPlayground;
  let playground: PlaygroundHandle;
  try {
    playground = await start(config, logger, { port: config.env.PORT, ...(demo ? { demo } : {}) });
  } catch (error) {
    await demo?.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return fail(`s3-chatops: port ${config.env.PORT} on 127.0.0.1 is in use; set PORT to a free one for the playground`);
    throw error;
  }
  logger.info({ url: playground.url, demo: deps.demo }, 'playground started');
  io.stdout.write(playgroundBanner(playground.url, deps.demo));
  return 0;
}
