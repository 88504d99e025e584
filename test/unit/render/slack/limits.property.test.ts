import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { types as slack } from '@slack/bolt';
import type { Block, Message } from '../../../../src/message/model.js';
import { renderSlack, SLACK_LIMITS } from '../../../../src/render/slack/index.js';

// Text with markup characters, long words, links and Slack's reserved characters mixed in.
const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('**bold**', '_it_', '`code`', '[link](https://example.test/a?b=1&c=2)', '<', '>', '&', '\n', ' ', '|'),
  fc.string({ minLength: 100, maxLength: 400 }),
  fc.constant('x'.repeat(3500)),
);
const text = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));
const shortText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
const severity = fc.constantFrom('ok', 'info', 'warning', 'critical', undefined);

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constant('header' as const), text }),
  fc.record({ kind: fc.constant('text' as const), text }),
  fc.record({ kind: fc.constant('context' as const), text }),
  fc.constant({ kind: 'divider' as const }),
  fc.record({ kind: fc.constant('fields' as const), fields: fc.array(fc.record({ label: shortText, value: text }), { maxLength: 25 }) }),
  fc.record({
    kind: fc.constant('list' as const),
    title: fc.option(shortText, { nil: undefined }),
    items: fc.array(fc.record({ severity, text, detail: fc.option(text, { nil: undefined }) }), { maxLength: 40 }),
  }),
  fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.record({
      kind: fc.constant('table' as const),
      columns: fc.array(shortText, { minLength: n, maxLength: n }),
      rows: fc.array(fc.array(shortText, { minLength: n, maxLength: n }), { maxLength: 300 }),
    }),
  ),
  fc.record({
    kind: fc.constant('actions' as const),
    buttons: fc.array(
      fc.record({
        actionId: fc.string({ minLength: 1, maxLength: 400 }),
        label: shortText,
        value: fc.option(fc.string({ maxLength: 3000 }), { nil: undefined }),
      }),
      { maxLength: 30 },
    ),
  }),
);

const message: fc.Arbitrary<Message> = fc.record({ summary: text, blocks: fc.array(block, { maxLength: 70 }) });

function checkLimits(out: { text: string; blocks: slack.KnownBlock[] }): void {
  expect(out.text.length).toBeGreaterThan(0);
  expect(out.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  expect(out.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of out.blocks) {
    if (b.type === 'header') {
      expect(b.text.text.length).toBeGreaterThan(0);
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    if (b.type === 'section') {
      if (b.text) {
        expect(b.text.text.length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
      expect(b.text !== undefined || (b.fields?.length ?? 0) > 0).toBe(true);
    }
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of b.elements) if ('text' in e && typeof e.text === 'string') expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
      for (const e of b.elements as slack.Button[]) {
        expect(e.text.text.length).toBeGreaterThan(0);
        expect(e.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect((e.action_id ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
        expect((e.value ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
      }
    }
  }
}

describe('renderSlack within Slack limits', () => {
  it('renders any message within every Slack limit', () => {
    fc.assert(
      fc.property(message, (m) => checkLimits(renderSlack(m))),
      { numRuns: 150 },
    );
  });
});
