/** The Teams bot's cards: buttons become Universal Actions whose data carries the value exactly, the Delete behind a confirmation. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanupPreviewMessage } from '../../../../src/actions/cleanup-messages.js';
import { alertMessage } from '../../../../src/alerts/message.js';
import type { Message } from '../../../../src/render/model.js';
import { renderTeamsCard } from '../../../../src/render/teams/index.js';
import { NOW } from '../../../fixtures/reports/buckets.js';
import { parseEvents } from './adaptive-sdk.js';
import { alertState, label, REGION } from './alert-fixtures.js';

const corpus = JSON.parse(readFileSync(new URL('../../../fixtures/hostile/values.json', import.meta.url), 'utf8')) as { name: string; value: string }[];
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

type Action = { type: string; title: string; verb?: string; style?: string; data?: { value: string }; card?: { body: { text: string }[]; actions: Action[] } };

function preview(buttonValue: string): Message {
  return cleanupPreviewMessage({
    bucket: 'docs',
    label: 'docs',
    prefix: '_s3-chatops/test/',
    olderThanDays: 7,
    cutoff: NOW,
    plan: { targets: [], keys: 2, bytes: 20, extraVersions: 0, oldest: NOW, newest: NOW, sample: ['a', 'b'], unmarkedKept: 0 },
    includeUnmarked: false,
    buttonValue,
  });
}

const actionsOf = (message: Message, interactive = true) => (renderTeamsCard(message, { interactive }).actions ?? []) as Action[];

describe('interactive Teams cards', () => {
  it('put Delete behind a confirmation card and Cancel as a Universal Action, both carrying the sealed plan', () => {
    const card = renderTeamsCard(preview('sealed.plan'), { interactive: true });
    expect(parseEvents(card)).toEqual([]);
    const [del, cancel] = card.actions as Action[];
    expect(del).toMatchObject({ type: 'Action.ShowCard', title: 'Delete', style: 'destructive' });
    expect(del!.card!.body.map((b) => b.text).join(' ')).toContain('permanently deletes');
    expect(del!.card!.actions).toEqual([{ type: 'Action.Execute', title: 'Delete', verb: 'cleanup_confirm', data: { value: 'sealed.plan' }, style: 'destructive' }]);
    expect(cancel).toEqual({ type: 'Action.Execute', title: 'Cancel', verb: 'cleanup_cancel', data: { value: 'sealed.plan' } });
  });

  it('give a firing alert Snooze and Acknowledge, and a webhook card none of them', () => {
    const message = alertMessage(alertState('error-rate', 'firing'), { region: REGION, label });
    const actions = actionsOf(message);
    expect(parseEvents(renderTeamsCard(message, { interactive: true }))).toEqual([]);
    const execute = actions.filter((a) => a.type === 'Action.Execute');
    expect(execute.map((a) => a.verb)).toEqual(['alert_snooze_1h', 'alert_snooze_4h', 'alert_snooze_24h', 'alert_acknowledge']);
    expect(JSON.parse(execute[1]!.data!.value)).toMatchObject({ episode: expect.any(Number), hours: 4 });
    expect(actionsOf(message, false).every((a) => a.type === 'Action.OpenUrl')).toBe(true);
  });

  it('carry any button value exactly, as data, and show no hidden characters in a title', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...corpus.map((c) => c.value))), fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...corpus.map((c) => c.value))), (value, title) => {
        const message: Message = { summary: 's', blocks: [{ kind: 'actions', buttons: [{ actionId: 'status_refresh', label: title, value }] }] };
        const [action] = actionsOf(message);
        expect(action!.data!.value).toBe(value);
        expect(action!.title).not.toMatch(HIDDEN);
        expect(action!.title.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
