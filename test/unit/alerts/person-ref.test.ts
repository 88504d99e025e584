import { describe, expect, it } from 'vitest';
import { alertMessage, personRef, threadLine } from '../../../src/alerts/message.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { alertState, label, REGION } from '../render/teams/alert-fixtures.js';

const TEAMS_USER = 'teams:0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';

describe('who pressed, on the alert message', () => {
  it('is a Slack mention for a Slack user and the Entra id, as data, for a Teams user', () => {
    expect(personRef('U0ACK')).toBe('<@U0ACK>');
    expect(personRef(TEAMS_USER)).toBe('Teams user `0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b`');
  });

  it('never becomes a broken Slack mention when acknowledged or snoozed from Teams', () => {
    const state = alertState('error-rate', 'firing', { acknowledgedBy: TEAMS_USER, snoozedBy: TEAMS_USER, snoozedUntil: new Date(Date.now() + 3_600_000).toISOString() });
    const slack = JSON.stringify(renderSlack(alertMessage(state, { region: REGION, label })));
    expect(slack).not.toContain('<@teams:');
    expect(slack).toContain('Acknowledged by Teams user');
    expect(slack).toContain('0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b');
    expect(threadLine({ kind: 'acknowledged', user: TEAMS_USER, state, at: state.updatedAt, version: 2 } as never)).not.toContain('<@');
  });
});
