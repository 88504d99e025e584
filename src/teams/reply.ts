/** The activities the Teams bot answers with: a card as a message, a card or a note as an invoke response. */
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import { slackMentions } from '../notify/teams-alert.js';
import type { Message } from '../render/model.js';
import { renderTeamsCard } from '../render/teams/index.js';

/** The content type of an Adaptive Card attachment and of an invoke response that replaces a card. */
export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The card for a message: interactive, with the Slack mentions a report wrote (who acknowledged in Slack) as words. */
function card(message: Message) {
  return renderTeamsCard({ ...message, blocks: message.blocks.map(slackMentions) }, { interactive: true });
}

/** A message activity carrying `message` as an interactive card. */
export function cardActivity(message: Message): Activity {
  return Activity.fromObject({
    type: ActivityTypes.Message,
    attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content: card(message) }],
  });
}

/** The answer to a Universal Action that replaces the card it was pressed on with `message`. */
export function cardInvokeResponse(message: Message): Activity {
  return Activity.fromObject({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: card(message) } },
  });
}

/** The answer to a Universal Action that leaves the card as it is and shows `text` to the presser alone. */
export function noteInvokeResponse(text: string): Activity {
  return Activity.fromObject({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } },
  });
}

/** The typed text of a message without the bot's @mention (`<at>s3-chatops</at> status` → `status`). */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .trim();
}
