/** The Teams bot's entry point: the SDK's adapter, the turn handler and the route the bot's HTTP server mounts. */
import type { Connections } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { cleanupTicketKey } from '../actions/cleanup-ticket.js';
import { TestUploadGuard } from '../actions/test-upload-guard.js';
import type { AlertActionDeps } from '../alerts/actions.js';
import { AnswerPool, DEFAULT_ANSWER_POOL } from '../commands/answer-pool.js';
import { createCommandRegistry } from '../commands/registry.js';
import type { CommandContext } from '../commands/types.js';
import type { TeamsBotSettings } from '../config/load.js';
import type { HttpRoute } from '../metrics/server.js';
import type { Report } from '../message/model.js';
import { isPartial } from '../reports/unanswered.js';
import { RefusedRequests } from '../metrics/refused-requests.js';
import { createTeamsAdapter } from './adapter.js';
import { createTeamsBot } from './bot.js';
import { teamsMessagesRoute } from './route.js';

export { TEAMS_MESSAGES_PATH } from './route.js';

export interface TeamsEntryOptions {
  settings: TeamsBotSettings;
  /** The same context as Slack's: share its `actions.uploadGuard` so one test upload runs per bucket. */
  ctx: CommandContext;
  logger: Logger;
  alertActions?: AlertActionDeps;
  /** Where outbound tokens come from; MSAL against the configured authority by default. */
  connections?: Connections;
  /** How long one Bot Connector call may take; `TEAMS_CONNECTOR_DEADLINE_MS` by default. */
  connectorDeadlineMs?: number;
  /** Where `s3chatops_teams_requests_refused_total` is counted. */
  registry?: Registry;
  /** How often refused requests are summed up in one log line; 60 s by default. */
  refusedLogIntervalMs?: number;
}

/** The Teams bot, ready to mount: `POST /api/messages`; `stop` writes the last refusals' line. */
export function createTeamsEntry(options: TeamsEntryOptions): { route: HttpRoute; stop(): void } {
  const { settings, logger } = options;
  const ctx: CommandContext = options.ctx.actions ? { ...options.ctx, actions: { ...options.ctx.actions, uploadGuard: options.ctx.actions.uploadGuard ?? new TestUploadGuard() } } : options.ctx;
  const adapter = createTeamsAdapter(settings, { ...(options.connections ? { connections: options.connections } : {}), ...(options.connectorDeadlineMs ? { connectorDeadlineMs: options.connectorDeadlineMs } : {}) });
  adapter.onTurnError = async (context, error) => {
    // The SDK's default would tell the person to "fix the source code"; say what happened instead.
    logger.error({ err: error }, 'Teams turn failed');
    await context.sendActivity('Something went wrong on our side; the details are in the bot\'s log.').catch(() => undefined);
  };
  const pool = new AnswerPool<Report>({ ...DEFAULT_ANSWER_POOL, reusable: (report) => !isPartial(report), now: ctx.now });
  const onTurn = createTeamsBot({
    registry: createCommandRegistry(),
    pool,
    ctx,
    logger,
    ticketKey: cleanupTicketKey(ctx.config.slack),
    ...(options.alertActions ? { alertActions: options.alertActions } : {}),
  });
  const refused = new RefusedRequests({ logger, surface: 'teams', ...(options.registry ? { registry: options.registry } : {}), ...(options.refusedLogIntervalMs ? { intervalMs: options.refusedLogIntervalMs } : {}) });
  return { route: teamsMessagesRoute({ adapter, onTurn, logger, refused }), stop: () => refused.flush() };
}
