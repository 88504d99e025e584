/**
 * The bot's own messages outside a turn from Teams (proactive messages): alert cards posted to the
 * alert channel and edited in place, and a cleanup's card edited with its progress. Each goes
 * through the SDK's `continueConversation` (the bot's identity, its token from the configured
 * connections), and every Bot Connector call is cancelled at its deadline or when its caller's
 * signal aborts (a delivery that lost its alert's lock).
 */
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { HttpError, CloudAdapter, ConnectorClient, Connections } from '@microsoft/agents-hosting';
import type { TeamsBotSettings } from '../config/load.js';
import { parseRetryAfter, TeamsDeliveryError } from '../notify/teams-webhook.js';
import { boundRequests, createTeamsAdapter, TEAMS_CONNECTOR_DEADLINE_MS } from './adapter.js';

/** Where a proactive message goes: the Bot Connector and the conversation (a channel, a chat). */
export interface TeamsConversation {
  serviceUrl: string;
  conversationId: string;
}

export interface TeamsProactiveOptions {
  /** Where outbound tokens come from; MSAL against the configured authority by default. */
  connections?: Connections;
  /** How long one Bot Connector call (with its token) may take; `TEAMS_CONNECTOR_DEADLINE_MS` by default. */
  deadlineMs?: number;
}

/** Posts and edits the bot's own activities in a conversation, each call bounded. */
export class TeamsProactive {
  private readonly adapter: CloudAdapter;
  private readonly deadlineMs: number;

  constructor(
    private readonly settings: TeamsBotSettings,
    options: TeamsProactiveOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? TEAMS_CONNECTOR_DEADLINE_MS;
    this.adapter = createTeamsAdapter(settings, { ...(options.connections ? { connections: options.connections } : {}), connectorDeadlineMs: this.deadlineMs });
    // The SDK's default would answer a failed turn with a message of its own in the conversation;
    // a proactive call's failure belongs to its caller (a delivery job retries it, or gives up).
    this.adapter.onTurnError = async (_context, error) => {
      throw error;
    };
  }

  /** Posts `activity` as a new message of the conversation; resolves with its activity id. */
  async send(to: TeamsConversation, activity: Activity, signal?: AbortSignal): Promise<string> {
    const answer = await this.call(to, signal, (connector) => connector.sendToConversation(to.conversationId, activity));
    if (!answer?.id) throw new TeamsDeliveryError('the Bot Connector took the message but gave no activity id', null, false);
    return answer.id;
  }

  /** Replaces the message `activityId` of the conversation with `activity`. */
  async update(to: TeamsConversation, activityId: string, activity: Activity, signal?: AbortSignal): Promise<void> {
    await this.call(to, signal, (connector) => connector.updateActivity(to.conversationId, activityId, Activity.fromObject({ ...activity, id: activityId })));
  }

  /** Posts `activity` in the thread of the channel message `activityId` (Teams names a thread `<channel>;messageid=<id>`). */
  async reply(to: TeamsConversation, activityId: string, activity: Activity, signal?: AbortSignal): Promise<void> {
    const thread = `${to.conversationId};messageid=${activityId}`;
    await this.call(to, signal, (connector) => connector.sendToConversation(thread, activity));
  }

  /**
   * Runs `use` with a connector for the conversation, as the bot. The whole call (the token too) is
   * given up at the deadline, and the request itself is cancelled then; a Bot Connector's error
   * comes back as a `TeamsDeliveryError` saying whether trying again can help.
   */
  private async call<T>(to: TeamsConversation, signal: AbortSignal | undefined, use: (connector: ConnectorClient) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const reference: ConversationReference = {
      channelId: 'msteams',
      serviceUrl: to.serviceUrl,
      conversation: { id: to.conversationId, tenantId: this.settings.tenantId, isGroup: true },
      agent: { id: `28:${this.settings.appId}`, role: 'bot' },
    };
    let result: T | undefined;
    const work = this.adapter.continueConversation(this.settings.appId, reference, async (context) => {
      const connector = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient;
      boundRequests(connector, this.deadlineMs, stop);
      result = await use(connector);
    });
    try {
      await untilAborted(work, stop);
    } catch (error) {
      // The caller's own stop (a lost lock) is what it needs to see, not the cancelled request.
      if (signal?.aborted) throw signal.reason;
      throw connectorError(error, deadline.aborted ? this.deadlineMs : undefined);
    }
    return result as T;
  }
}

/** `work`, or the signal's reason as soon as it aborts (the work is left to end on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A connector failure as a `TeamsDeliveryError`: 429, 408 and 5xx (with Retry-After) and no answer are worth trying again. */
function connectorError(error: unknown, timedOutAfterMs: number | undefined): TeamsDeliveryError {
  if (error instanceof TeamsDeliveryError) return error;
  // By name and shape: the SDK's CommonJS build throws its own class, not the one its ESM entry exports.
  if ((error as Error | undefined)?.name === 'HttpError' && typeof (error as HttpError).status === 'number') {
    const { status, response } = error as HttpError;
    const retryable = status === 429 || status === 408 || status >= 500;
    const code = (response?.data as { error?: { code?: unknown } } | undefined)?.error?.code;
    const retryAfterMs = parseRetryAfter(response?.headers?.get?.('retry-after') ?? null, new Date());
    return new TeamsDeliveryError(`the Bot Connector answered ${status}${typeof code === 'string' ? ` (${code.slice(0, 100)})` : ''}`, status, retryable, retryAfterMs);
  }
  if (timedOutAfterMs !== undefined) return new TeamsDeliveryError(`the Bot Connector did not answer within ${timedOutAfterMs / 1000} s`, null, true);
  const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error | undefined)?.message ?? String(error);
  return new TeamsDeliveryError(`the Bot Connector could not be reached (${cause.slice(0, 200)})`, null, true);
}
