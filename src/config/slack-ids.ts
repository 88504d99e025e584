/** Slack ids as the settings take them: the bot posts, edits and checks people by id, never by name. */
import { z } from 'zod';

/** A Slack user id: `U…`, or `W…` on Enterprise Grid. */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Slack user id; list ids such as U0123ABCD (profile → ⋯ → Copy member ID), one per person: there is no wildcard`,
});

/** A Slack channel id: `C…` (public), `G…` (private, older) or `D…` (direct message). */
export const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Slack channel id; write the id such as C0123ABCD (channel details → the id at the bottom), not the #name`,
});
