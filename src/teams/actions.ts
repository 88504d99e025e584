/**
 * The Universal Actions of the bot's cards, each answered by replacing the card (or, when the press
 * does nothing, by a note to the presser alone). Button values are data from people: checked,
 * never trusted; the cleanup's Delete is honoured only for a plan this bot sealed, by an allowed user.
 */
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import { checkCleanupConfirm } from '../actions/cleanup-confirm.js';
import { CLEANUP_CANCEL_ACTION, CLEANUP_CONFIRM_ACTION, cleanupProgressMessage } from '../actions/cleanup-messages.js';
import type { TeamsCardRef } from '../actions/cleanup-start.js';
import { openCleanupTicket } from '../actions/cleanup-ticket.js';
import { pressAlertButton, REDIS_PRESS_NOT_ANSWERED, type AlertActionDeps } from '../alerts/actions.js';
import { ACKNOWLEDGE_ACTION, alertMessage, parseAlertButtonValue, SNOOZE_ACTION } from '../alerts/message.js';
import type { AlertAction } from '../alerts/types.js';
import { BUSY_TEXT } from '../commands/ask-command.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { CommandArgs, CommandContext, CommandSpec } from '../commands/types.js';
import { findBucket } from '../config/load.js';
import { REDIS_COMMAND_TIMEOUT_MS } from '../lib/redis.js';
import { formatTimestamp } from '../message/format.js';
import { code } from '../message/markup.js';
import type { Message, Report } from '../message/model.js';
import { renderTeamsCard } from '../render/teams/index.js';
import { bucketLabel } from '../reports/types.js';
import { bucketFromButtonValue, CLEANUP_PREVIEW_ACTION, STATUS_REFRESH_ACTION, TEST_UPLOAD_ACTION, unknownBucketButtonText } from '../message/status-buttons.js';
import { ADAPTIVE_CARD_TYPE, cardInvokeResponse, noteInvokeResponse } from './reply.js';

/** How a command asked in Teams is run: through the shared pool, under the command's deadline. */
export type AskCommand = (spec: CommandSpec, args: CommandArgs, options?: { fresh?: boolean }) => Promise<Report | 'busy'>;

export interface CardActionDeps {
  registry: CommandRegistry;
  ctx: CommandContext;
  ask: AskCommand;
  /** Seals and opens the cleanup previews' plans (the same key as Slack's buttons). */
  ticketKey: Buffer;
  /** Alert state and the notify queue, for Snooze and Acknowledge; absent: those presses are refused. */
  alertActions?: AlertActionDeps;
}

/** The most of a button value this bot reads; its own are far shorter. */
const MAX_VALUE_CHARS = 4_000;

/** What was pressed: the verb and the data's `value`, when both are strings of a sane length. */
export function pressOf(value: unknown): { verb: string; value: string } | undefined {
  const action = (value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  const verb = action?.verb;
  const data = action?.data as { value?: unknown } | undefined;
  const raw = data?.value ?? '';
  if (typeof verb !== 'string' || verb.length > 100 || typeof raw !== 'string' || raw.length > MAX_VALUE_CHARS) return undefined;
  return { verb, value: raw };
}

/** Answers one press; returns the invoke response. */
export async function handleCardAction(deps: CardActionDeps, context: TurnContext, log: Logger): Promise<Activity> {
  const press = pressOf(context.activity.value);
  const user = context.activity.from?.aadObjectId;
  if (!press) return noteInvokeResponse('This button is not one I know; the card may be from an older version.');
  const plog = log.child({ action: press.verb.slice(0, 100) });
  switch (press.verb) {
    case STATUS_REFRESH_ACTION:
      return rerun(deps, 'status', press.value, true, plog);
    case TEST_UPLOAD_ACTION:
      return rerun(deps, 'test', press.value, false, plog);
    case CLEANUP_PREVIEW_ACTION:
      return rerun(deps, 'cleanup', press.value, false, plog);
    case CLEANUP_CONFIRM_ACTION:
      return confirmCleanup(deps, context, press.value, user, plog);
    case CLEANUP_CANCEL_ACTION:
      return cancelCleanup(deps, press.value, user, plog);
    case ACKNOWLEDGE_ACTION:
      return pressAlert(deps, press.value, user, () => (user ? { kind: 'acknowledge', user: teamsUser(user) } : null), plog);
    default: {
      const snooze = new RegExp(`^${SNOOZE_ACTION}_(\\d+)h$`).exec(press.verb);
      if (snooze) return pressAlert(deps, press.value, user, (hours) => (user && hours ? { kind: 'snooze', hours, user: teamsUser(user) } : null), plog);
      return noteInvokeResponse('This button is not one I know; the card may be from an older version.');
    }
  }
}

/** How a Teams person is recorded in alert state and cleanup jobs: their Entra object id, marked as Teams'. */
function teamsUser(aadObjectId: string): string {
  return `teams:${aadObjectId}`;
}

/** Refresh, Run test upload and Clean up test files: the command for the button's bucket, its answer replacing the card. */
async function rerun(deps: CardActionDeps, verb: 'status' | 'test' | 'cleanup', value: string, fresh: boolean, log: Logger): Promise<Activity> {
  const spec = deps.registry.get(verb);
  const name = bucketFromButtonValue(value);
  const bucket = name === undefined ? undefined : findBucket(deps.ctx.config, name);
  // Refresh of the fleet view carries no bucket; the others always name one.
  if (!spec || (name !== undefined && !bucket) || (verb !== 'status' && !bucket)) {
    return noteInvokeResponse(unknownBucketButtonText(name));
  }
  const report = await deps.ask(spec, { bucket, flags: {} }, { fresh });
  if (report === 'busy') return noteInvokeResponse(BUSY_TEXT);
  log.info({ bucket: bucket?.name }, 'card action answered');
  return cardInvokeResponse(report.message);
}

async function confirmCleanup(deps: CardActionDeps, context: TurnContext, value: string, user: string | undefined, log: Logger): Promise<Activity> {
  const { ctx } = deps;
  const now = ctx.now();
  const check = checkCleanupConfirm(value, deps.ticketKey, ctx.config, now);
  if (!check.ok && check.reason === 'not-sealed') {
    log.warn({ audit: true }, 'cleanup refused: the Delete button carries no plan this bot sealed');
    await audit(context, ctx, `Refused cleanup: ${who(user)} pressed a Delete at ${formatTimestamp(now)} that carries no cleanup plan this bot sealed; nothing was deleted.`, log);
    return noteInvokeResponse('This Delete button does not carry a cleanup plan this bot made (it was altered or comes from elsewhere); nothing was deleted. Ask for a new preview with `cleanup`.');
  }
  if (!check.ok) {
    log.warn({ audit: true, bucket: check.ticket.bucket }, 'cleanup refused: the configuration changed since the preview');
    return noteInvokeResponse('The bucket or its test prefix is no longer configured as it was when this preview was made; nothing was deleted. Ask for a new preview with `cleanup`.');
  }
  const { bucket, ticket, cutoff, includeUnmarked } = check;
  if (!user || !ctx.config.teams.allowedUsers.some((id) => id.toLowerCase() === user.toLowerCase())) {
    log.warn({ audit: true, bucket: bucket.name }, 'cleanup refused: user not in teams.allowedUsers');
    await audit(context, ctx, `Refused cleanup: ${who(user)} pressed Delete for ${code(bucket.name)} at ${formatTimestamp(now)} but is not in teams.allowedUsers; nothing was deleted.`, log);
    return noteInvokeResponse('Only the people listed in `teams.allowedUsers` may confirm a cleanup; nothing was deleted. Ask one of them to press Delete.');
  }
  if (!ctx.actions?.cleanup) return noteInvokeResponse('Cleanup cannot be queued from this process (no queue); nothing was deleted.');
  const label = bucketLabel(bucket);
  let outcome;
  try {
    // The same exactly-once claim as Slack's Delete: one deletion per preview, whichever surface pressed first.
    const card = pressedCard(context);
    outcome = await ctx.actions.cleanup.start({ bucket: bucket.name, label, prefix: ticket.prefix, cutoff: cutoff.toISOString(), includeUnmarked, maxKeys: ticket.keys, user: teamsUser(user), ...(card ? { teamsCard: card } : {}) });
  } catch (error) {
    log.error({ err: error }, 'could not queue the cleanup');
    return noteInvokeResponse(`Could not queue the cleanup: Redis did not answer within ${REDIS_COMMAND_TIMEOUT_MS / 1000} s. Nothing was deleted; press Delete again in a moment.`);
  }
  if (!outcome.started) return noteInvokeResponse('This cleanup was already confirmed and runs once; nothing more will be deleted for this press.');
  log.info({ audit: true, bucket: bucket.name, job: outcome.jobId, cutoff: cutoff.toISOString() }, 'cleanup confirmed and queued');
  await audit(context, ctx, `Cleanup: ${who(user)} confirmed deleting up to ${ticket.keys} old test file${ticket.keys === 1 ? '' : 's'} from ${code(bucket.name)} under ${code(ticket.prefix)} (older than ${formatTimestamp(cutoff)}) at ${formatTimestamp(now)}; job ${code(outcome.jobId)}.`, log);
  const progress = cleanupProgressMessage(label, teamsUser(user), { deleted: 0, bytes: 0, total: ticket.keys, batches: 0, failures: [], failedCount: 0, done: false });
  return cardInvokeResponse(withNote(progress, 'The deletion runs in the bot\'s worker; this card shows its progress, then its summary.'));
}

/** The card a button was pressed on (Teams sends its activity id as `replyToId`): where the worker shows the cleanup's progress. */
function pressedCard(context: TurnContext): TeamsCardRef | undefined {
  const { serviceUrl, conversation, replyToId } = context.activity;
  return serviceUrl && conversation?.id && replyToId ? { serviceUrl, conversationId: conversation.id, activityId: replyToId } : undefined;
}

async function cancelCleanup(deps: CardActionDeps, value: string, user: string | undefined, log: Logger): Promise<Activity> {
  const ticket = openCleanupTicket(value, deps.ticketKey);
  if (!ticket) {
    log.warn('cancel refused: the Cancel button carries no plan this bot sealed');
    return noteInvokeResponse('This Cancel button does not carry a cleanup plan this bot made; nothing changed.');
  }
  const allowed = deps.ctx.config.teams.allowedUsers.some((id) => id.toLowerCase() === user?.toLowerCase());
  const requester = ticket.requester !== undefined && user !== undefined && ticket.requester === teamsUser(user);
  if (!user || (!allowed && !requester)) {
    log.info({ bucket: ticket.bucket }, 'cancel refused: neither the requester nor an allowed user');
    return noteInvokeResponse('Only someone in `teams.allowedUsers` may cancel this preview; it stays as it is.');
  }
  const text = `Cleanup of ${code(ticket.bucket)} cancelled by ${who(user)}; nothing was deleted.`;
  return cardInvokeResponse({ summary: 'Cleanup cancelled', blocks: [{ kind: 'text', text }] });
}

async function pressAlert(deps: CardActionDeps, value: string, user: string | undefined, toAction: (hours: number | undefined) => AlertAction | null, log: Logger): Promise<Activity> {
  // A press Teams sent without the presser's Entra id cannot be recorded as anyone's.
  if (!user) return noteInvokeResponse('Teams did not say who pressed this button; nothing changed.');
  const parsed = parseAlertButtonValue(value);
  const action = parsed ? toAction(parsed.hours) : null;
  if (!parsed || !action) return noteInvokeResponse('This button is not one I know; the card may be from an older version.');
  if (!deps.alertActions) return noteInvokeResponse('Alerts cannot be changed from this process.');
  try {
    const outcome = await pressAlertButton(deps.alertActions, parsed.id, parsed.episode, action);
    if (!outcome.ok) return noteInvokeResponse(outcome.problem);
    log.info({ alert: parsed.id, kind: action.kind, user }, 'alert button pressed');
    const [state] = await deps.alertActions.store.getStates([parsed.id]);
    if (!state) return noteInvokeResponse('Done.');
    const labels = new Map(deps.ctx.config.buckets.map((b) => [b.name, bucketLabel(b)]));
    return cardInvokeResponse(alertMessage(state, { region: deps.ctx.config.region, label: (name) => labels.get(name) ?? name }));
  } catch (error) {
    log.error({ err: error, alert: parsed.id }, 'alert button failed');
    return noteInvokeResponse(REDIS_PRESS_NOT_ANSWERED);
  }
}

/** A Teams person in an audit line: their Entra object id, as data. */
function who(user: string | undefined): string {
  return user ? `Teams user ${code(user)}` : 'a Teams user with no Entra id';
}

function withNote(message: Message, note: string): Message {
  return { ...message, blocks: [...message.blocks, { kind: 'context', text: note }] };
}

/** Posts an audit line to the configured Teams channel through the turn's connector; a failure is logged, never thrown. */
async function audit(context: TurnContext, ctx: CommandContext, text: string, log: Logger): Promise<void> {
  const channel = ctx.config.teams.auditChannel;
  if (!channel) return;
  try {
    const connector = context.turnState.get(context.adapter.ConnectorClientKey) as { sendToConversation(id: string, activity: Activity): Promise<unknown> } | undefined;
    if (!connector) throw new Error('no connector client for this turn');
    const activity = Activity.fromObject({
      type: ActivityTypes.Message,
      conversation: { id: channel },
      attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content: renderTeamsCard({ summary: text, blocks: [{ kind: 'text', text }] }) }],
    });
    await connector.sendToConversation(channel, activity);
  } catch (error) {
    log.warn({ err: error }, 'could not post to the Teams audit channel');
  }
}
