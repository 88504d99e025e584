/**
 * The package's public face: load the configuration, run a report with your own ports, render
 * it. Everything else is internal and may change.
 */
export { loadConfig, findBucket, ConfigError, type Config, type LoadOptions } from './config/load.js';
export type { BucketConfig } from './config/schema.js';
export type * from './aws/ports.js';
export type { Message, Block, Field, Button, ListItem, Severity, Report } from './message/model.js';
export { renderSlack, type SlackMessage } from './render/slack/index.js';
export { renderText, type TextOptions } from './render/text/index.js';
export {
  gatherStatus,
  buildStatus,
  gatherOverview,
  buildOverview,
  gatherUploads,
  buildUploads,
  gatherErrors,
  buildErrors,
  gatherCosts,
  buildCosts,
  buildHelp,
} from './reports/index.js';
export { createCommandRegistry, type CommandRegistry } from './commands/registry.js';
export { parseCommand, type ParseResult } from './commands/parse.js';
export type { CommandSpec, CommandContext, CommandArgs } from './commands/types.js';
export {
  S3Monitor,
  createMetricsRegistry,
  fileTypeLabel,
  type UploadOperation,
  type S3MonitorOptions,
  type MonitorDecorator,
  type MetricsRegistryOptions,
} from './metrics/index.js';
