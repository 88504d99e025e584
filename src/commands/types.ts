import type { ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { AwsPorts } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Report } from '../message/model.js';
import type { AlertReader } from '../alerts/store.js';
import type { DigestTestUploadSource } from '../reports/digest/types.js';
import type { ActionDeps } from '../actions/deps.js';

/** What a command needs from the world, injected by the entry point (Slack, CLI, job). */
export interface CommandContext {
  config: Config;
  aws: AwsPorts;
  now: () => Date;
  logger: Logger;
  /** Alert state (Redis), where the entry point has it: `/s3 alerts` and the firing lines of status. */
  alerts?: AlertReader;
  /** The scheduled test uploads' results (Redis), for the digest's test-upload line, where uploads are scheduled. */
  testUploads?: DigestTestUploadSource;
  /** S3 client, upload metrics and the cleanup queue, for `test` and `cleanup`; absent: they say they cannot run here. */
  actions?: ActionDeps;
  /**
   * The run's deadline, where the entry point sets one (`/s3`: `COMMAND_DEADLINE_MS`); `aws` then
   * already carries it. A report reading anything else (Redis) stops waiting when it aborts.
   */
  signal?: AbortSignal;
}

/** A command's input once parsed and checked: the bucket it is about, and its flags. */
export interface CommandArgs {
  /** The configured bucket named (by name or alias), or the only one configured; absent for fleet-wide commands. */
  bucket?: BucketConfig;
  flags: Record<string, string | boolean | undefined>;
  /** Who asked, where the answer is theirs alone (a button press); absent where one answer may serve several people. */
  requester?: string;
}

/** How a command takes its bucket argument. */
export type BucketArgument =
  | 'none' // costs, help: no bucket
  | 'required' // uploads, errors: one bucket; the only one when one is configured
  | 'optional'; // status: one bucket, or the fleet when several are configured and none is named

/** One subcommand: `/s3 <verb>` in Slack and `s3-chatops <verb>` on the command line. */
export interface CommandSpec {
  verb: string;
  /** One line for `/s3 help`. */
  summary: string;
  /** e.g. `status [bucket]`. */
  usage: string;
  /** e.g. `/s3 status surgical-docs`, written without the `/s3`: `status surgical-docs`. */
  example: string;
  bucket: BucketArgument;
  /** Flags in node:util parseArgs form; validated further by `validate`. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Checks flag values; returns a sentence saying what is wrong, or undefined. */
  validate?: (flags: CommandArgs['flags']) => string | undefined;
  /**
   * How `/s3` shares this command's answer between identical questions: `'recent'` (the default,
   * for reports) reuses an answer of the last seconds; `'in-flight'` only joins a computation still
   * running (a preview); `false` runs it every time (an action such as a test upload).
   */
  reuse?: 'recent' | 'in-flight' | false;
  /** How long `/s3` lets it run before it answers with what it has; `COMMAND_DEADLINE_MS` (8 s) when unset. */
  deadlineMs?: number;
  /** The answer as told to someone whose question joined a run already under way (`'in-flight'`); the run's own answer when unset. */
  joined?: (report: Report, args: CommandArgs) => Report;
  run(ctx: CommandContext, args: CommandArgs): Promise<Report>;
}
