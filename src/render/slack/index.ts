export { renderSlack, SEVERITY_EMOJI, type SlackMessage } from './render.js';
export { SLACK_LIMITS } from './limits.js';
export { toMrkdwn, escapeMrkdwn } from './mrkdwn.js';
