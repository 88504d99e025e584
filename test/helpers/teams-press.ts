// A person pressing a Universal Action (Action.Execute) on a card in a Teams channel, as Teams sends
// it: a signed `adaptiveCard/action` invoke to the bot's messages endpoint, through the real adapter.
import { expect } from 'vitest';
import { waitFor } from './wait.js';

/** The card a press is made on, and who presses it. */
export interface ChannelCard {
  botPort: number;
  serviceUrl: string;
  /** A valid bearer token for the bot (`issuer.token({ serviceUrl })`). */
  token: () => string;
  appId: string;
  tenantId: string;
  /** The Entra object id of the person pressing. */
  user: string;
  /** The channel or thread the card is in. */
  conversationId: string;
  /** The card's activity id. */
  cardId: string;
}

/** The invoke response of a press: the card that replaces the pressed one, or a note. */
export interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

/** Presses `verb` with `value` (the button's data value) on the card; expects HTTP 200 and returns the invoke body. */
export async function pressCardAction(card: ChannelCard, verb: string, value: string): Promise<InvokeBody> {
  const activity = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `press-${verb}`,
    channelId: 'msteams',
    serviceUrl: card.serviceUrl,
    from: { id: `29:${card.user}`, aadObjectId: card.user },
    recipient: { id: `28:${card.appId}` },
    conversation: { id: card.conversationId, conversationType: 'channel', isGroup: true, tenantId: card.tenantId },
    replyToId: card.cardId,
    value: { action: { type: 'Action.Execute', verb, data: { value } }, trigger: 'manual' },
  };
  const response = await fetch(`http://127.0.0.1:${card.botPort}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${card.token()}` },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as InvokeBody;
}

/** Waits until the bot on `port` answers `/readyz` with 200. */
export async function waitUntilReady(port: number): Promise<void> {
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) === 200, undefined, { timeoutMs: 20_000, message: `the bot on port ${port} never became ready` });
}
