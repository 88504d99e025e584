/** Edits a card the Teams bot posted (a cleanup's preview, with its progress and summary), as the bot, outside a turn. */
import type { TeamsCardEditor } from '../actions/cleanup-start.js';
import type { TeamsProactive } from './proactive.js';
import { cardActivity } from './reply.js';

/** A `TeamsCardEditor` over the bot's proactive calls: each edit bounded by the connector deadline. */
export function teamsCardEditor(proactive: Pick<TeamsProactive, 'update'>): TeamsCardEditor {
  return {
    update: (ref, message) => proactive.update({ serviceUrl: ref.serviceUrl, conversationId: ref.conversationId }, ref.activityId, cardActivity(message)),
  };
}
