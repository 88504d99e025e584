/**
 * Teams cards side by side with the Block Kit messages they mirror: every rule the bot can alert
 * on firing and resolved, every other kind of alert change (reminder, snooze, snooze over,
 * acknowledgement), and the digest for 1 and 200 buckets (beside its Block Kit and text goldens).
 * Every card must parse in the Adaptive Cards SDK without a single event and stay under 28 KB.
 * Update with `npx vitest run test/unit/render/teams -u` and review the diff; paste a card's
 * `content` into https://adaptivecards.io/designer to look at it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertMessage, threadLine } from '../../../../src/alerts/message.js';
import { ALL_ALERT_RULE_NAMES } from '../../../../src/alerts/rules/index.js';
import type { AlertEvent, AlertEventKind } from '../../../../src/alerts/types.js';
import { teamsAlertMessage } from '../../../../src/notify/teams-alert.js';
import { teamsDigestMessage } from '../../../../src/notify/teams-digest.js';
import { renderSlack } from '../../../../src/render/slack/index.js';
import { renderTeams, TEAMS_LIMITS, type TeamsWebhookBody } from '../../../../src/render/teams/index.js';
import { buildDigest } from '../../../../src/reports/digest/build.js';
import { fleetDigest } from '../../reports/digest-fixtures.js';
import { parseEvents } from './adaptive-sdk.js';
import { alertEvent, alertState, FIXTURE_RULES, label, REGION } from './alert-fixtures.js';

const options = { region: REGION, label };

function expectSendable(body: TeamsWebhookBody): void {
  expect(body.type).toBe('message');
  expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(parseEvents(body.attachments[0].content)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(TEAMS_LIMITS.messageBytes);
  // Nothing in the fixtures would read as Teams markup (New_York, provider-payment_2026-11.pdf,
  // cost-budget:*), so no reader may see a backslash.
  expect(JSON.stringify(body.attachments[0].content.body)).not.toContain('\\\\');
}

async function alertGolden(name: string, event: AlertEvent): Promise<TeamsWebhookBody> {
  const teams = renderTeams(teamsAlertMessage(event, options));
  expectSendable(teams);
  const slack = { message: renderSlack(alertMessage(event.state, options)), threadLine: event.kind === 'fired' ? null : threadLine(event) };
  await expect(`${JSON.stringify(teams, null, 2)}\n`).toMatchFileSnapshot(`../../../golden/teams/${name}.teams.json`);
  await expect(`${JSON.stringify(slack, null, 2)}\n`).toMatchFileSnapshot(`../../../golden/teams/${name}.slack.json`);
  return teams;
}

describe('Teams alert cards', () => {
  it('has a fixture for every rule the bot can alert on, test-upload included', () => {
    expect([...FIXTURE_RULES].sort()).toEqual([...ALL_ALERT_RULE_NAMES].sort());
    expect(ALL_ALERT_RULE_NAMES).toContain('test-upload');
  });

  // Iterates the rules, not the fixtures: a rule without a fixture fails here by name.
  for (const rule of ALL_ALERT_RULE_NAMES) {
    it(`${rule}: firing and resolved are separate cards, each naming the rule, the bucket and since when`, async () => {
      const firing = await alertGolden(`alert-${rule}-firing`, alertEvent('fired', alertState(rule, 'firing'), '2026-11-26T14:10:00.000Z'));
      const resolved = await alertGolden(`alert-${rule}-resolved`, alertEvent('resolved', alertState(rule, 'resolved'), '2026-11-26T15:20:00.000Z'));
      for (const card of [firing, resolved]) {
        const text = JSON.stringify(card.attachments[0].content.body);
        expect(text).toContain(rule);
        expect(text).toContain('since 2026-11-26 14:05 UTC');
      }
      expect(JSON.stringify(firing)).toContain('Firing');
      expect(JSON.stringify(resolved)).toContain('Resolved');
    });
  }

  // Every other kind of change, typed so that a new kind of event cannot go without its card.
  const firing = alertState('error-rate', 'firing');
  const acked = alertState('error-rate', 'firing', { acknowledgedBy: 'U0ADMIN', acknowledgedAt: '2026-11-26T18:20:00.000Z' });
  const changes: Record<Exclude<AlertEventKind, 'fired' | 'resolved'>, { golden: string; event: AlertEvent; says: string }> = {
    reminder: { golden: 'reminder', event: alertEvent('reminder', firing, '2026-11-26T18:10:00.000Z', 2), says: 'Still firing (for 4 h 5 min)' },
    snoozed: {
      golden: 'snoozed',
      event: alertEvent('snoozed', alertState('error-rate', 'firing', { snoozedUntil: '2026-11-26T19:10:00.000Z', snoozedBy: 'U0ADMIN' }), '2026-11-26T18:10:00.000Z', 3, 'U0ADMIN'),
      says: 'Slack user U0ADMIN',
    },
    acknowledged: { golden: 'acknowledged', event: alertEvent('acknowledged', acked, '2026-11-26T18:20:00.000Z', 4, 'U0ADMIN'), says: 'Acknowledged by Slack user U0ADMIN' },
    // The snooze set at 18:10 ran out at 19:10 with the alert still firing.
    'snooze-ended': { golden: 'snooze-ended', event: alertEvent('snooze-ended', { ...acked, lastNotifiedAt: '2026-11-26T19:10:00.000Z' }, '2026-11-26T19:10:00.000Z', 5), says: 'Snooze over, still firing' },
  };
  for (const [kind, { golden, event, says }] of Object.entries(changes)) {
    it(`${kind}: a card of its own, naming the alert and since when`, async () => {
      const card = await alertGolden(`alert-error-rate-${golden}`, event);
      const text = JSON.stringify(card.attachments[0].content.body);
      expect(text).toContain(says);
      expect(text).toContain('error-rate');
      expect(text).toContain('since 2026-11-26 14:05 UTC');
      expect(text).toContain(`change ${event.version} at`);
    });
  }

  it('says everything the Slack message says: the rule text, the sparkline and the CloudWatch link, plus console links', () => {
    const state = alertState('latency', 'firing');
    const card = renderTeams(teamsAlertMessage(alertEvent('fired', state, '2026-11-26T14:10:00.000Z'), options)).attachments[0].content;
    const json = JSON.stringify(card);
    expect(json).toContain('**6.4 s**');
    expect(card.body.some((e) => e.type === 'TextBlock' && e.fontType === 'Monospace' && /^[▁▂▃▄▅▆▇█ ]+$/.test(e.text))).toBe(true);
    expect(card.actions?.map((a) => a.title)).toEqual(['CloudWatch metrics', 'S3 console']);
    expect(card.actions?.every((a) => a.type === 'Action.OpenUrl' && a.url.startsWith('https://'))).toBe(true);
  });
});

describe('Teams digest cards', () => {
  it('one bucket: the whole digest in one card', async () => {
    const report = buildDigest(await fleetDigest(1));
    const body = renderTeams(teamsDigestMessage(report));
    expectSendable(body);
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot('../../../golden/digest-1-bucket.teams.json');
  });

  it('200 buckets: the summary, with the same fleet figures as Slack, and a line saying what was left out', async () => {
    const report = buildDigest(await fleetDigest(200));
    const body = renderTeams(teamsDigestMessage(report));
    expectSendable(body);
    const json = JSON.stringify(body);
    expect(json).toContain('Per-bucket detail for all 200 buckets is left out of this card');
    expect(json).not.toContain('in the thread');
    // The fleet totals are the Slack summary's own.
    const fields = report.main.blocks.find((b) => b.kind === 'fields');
    const facts = body.attachments[0].content.body.find((e) => e.type === 'FactSet');
    expect(facts && facts.type === 'FactSet' ? facts.facts.map((f) => f.title) : []).toEqual(fields && fields.kind === 'fields' ? fields.fields.map((f) => f.label) : ['missing']);
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot('../../../golden/digest-200-buckets.teams.json');
  });
});

describe('golden files side by side', () => {
  it('every Teams golden has the Block Kit golden of the same fixture next to it', () => {
    for (const dir of ['test/golden', 'test/golden/teams']) {
      const files = readdirSync(new URL(`../../../../${dir}/`, import.meta.url));
      const teams = files.filter((f) => f.endsWith('.teams.json'));
      expect(teams.length).toBeGreaterThan(0);
      for (const file of teams) expect(files, `${dir}/${file}`).toContain(file.replace(/\.teams\.json$/, '.slack.json'));
    }
  });
});
