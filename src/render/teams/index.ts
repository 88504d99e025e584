export { renderTeams, renderTeamsCard, teamsWebhookBody, SEVERITY_ICON } from './render.js';
export { TEAMS_LIMITS, jsonBytes } from './limits.js';
export { toTeamsMarkdown, escapeTeamsMarkdown, boldTeamsMarkdown } from './markdown.js';
export type { AdaptiveCard, TeamsWebhookBody, OpenUrlAction } from './card.js';
