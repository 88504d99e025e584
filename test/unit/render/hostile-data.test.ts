/**
 * Data shown as data: for every report's message builder, a hostile value put where data goes
 * renders with no mention, link, formatting, quote or list the template did not write, on Slack,
 * Teams and the terminal, and stays readable. Checked over the hostile corpus and over arbitrary
 * strings (fast-check).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertMessage } from '../../../src/alerts/message.js';
import { accessLogErrorsBlocks, accessLogUploadsBlocks } from '../../../src/reports/access-log-blocks.js';
import { buildAlerts } from '../../../src/alerts/report.js';
import { cleanupPreviewMessage, cleanupSummaryMessage } from '../../../src/actions/cleanup-messages.js';
import { parseCommand } from '../../../src/commands/parse.js';
import type { AlertFinding } from '../../../src/message/alert-findings.js';
import type { Message } from '../../../src/message/model.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderTeams } from '../../../src/render/teams/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { badInput } from '../../../src/reports/bad-input.js';
import { lifecycleRuleText } from '../../../src/reports/bucket-facts-text.js';
import { buildUploads, type UploadsData } from '../../../src/reports/uploads.js';
import { buildChanges } from '../../../src/reports/changes.js';
import { bucketChanges } from '../../../src/cloudtrail/bucket-changes.js';
import { trailRecord } from '../../fixtures/cloudtrail/trail-records.js';
import { buildDigest } from '../../../src/reports/digest/build.js';
import type { DigestData } from '../../../src/reports/digest/types.js';
import { fleetDigest } from '../reports/digest-fixtures.js';
import { fakeRegistry, twoBuckets } from '../commands/fixtures.js';
import { alertState, label, REGION } from './teams/alert-fixtures.js';
import { NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';

interface HostileValue {
  name: string;
  value: string;
  /** What a person must still read once the value is escaped. */
  visible: string;
}

const corpus = JSON.parse(readFileSync(new URL('../../fixtures/hostile/values.json', import.meta.url), 'utf8')) as HostileValue[];
const HARMLESS = 'harmless';

/** A one-bucket digest gathered through the real `gatherDigest`; the builder puts `v` where the access log and alert state put data. */
const digestData: DigestData = await fleetDigest(1);

function hostileDigest(v: string): Message {
  const [first] = digestData.buckets;
  const bucket = {
    ...first!,
    uploads: {
      ok: true as const,
      value: {
        count: 3,
        bytes: 30,
        scanned: 0,
        atLeast: false,
        accessLog: { failed: 1, byRequester: [{ requester: v, uploads: 3, failed: 1 }], denied: { count: 2, byRequester: [{ label: v, count: 2 }] }, newestRecordAt: NOW },
      },
    },
    alerts: { ok: true as const, value: { fired: 1, resolved: 0, firing: [{ rule: v, since: NOW }] } },
    changes: { ok: true as const, value: hostileChanges(v) },
  };
  return buildDigest({ ...digestData, buckets: [bucket] }).main;
}

/** Each report's message, with `v` wherever data goes. */
const builders: Record<string, (v: string) => Message> = {
  'daily digest': hostileDigest,
  'access-denied alert': (v) => alertMessage(alertState('access-denied', 'firing', { finding: hostileDenials(v, v) }), { region: REGION, label }),
  'config-change alert': (v) =>
    alertMessage(
      alertState('config-change', 'firing', {
        finding: {
          rule: 'config-change',
          judged: true,
          windowHours: 24,
          count: 4,
          newest: [
            { at: NOW.toISOString(), call: v, principal: { label: v }, sourceIp: v, client: v, errorCode: null, phrases: [], source: 'cloudtrail' },
            { at: NOW.toISOString(), call: v, principal: { label: v }, sourceIp: null, client: v, errorCode: v, phrases: [], source: 'access-log' },
          ],
        },
      }),
      { region: REGION, label },
    ),
  'no-request-metrics alert': (v) =>
    alertMessage(alertState('no-request-metrics', 'firing', { finding: { rule: 'no-request-metrics', missing: true, bucket: v, filterId: v } }), { region: REGION, label }),
  'cost-budget alert': (v) =>
    alertMessage(
      alertState('cost-budget', 'firing', {
        finding: { rule: 'cost-budget', currency: v, monthToDate: 170.4, monthEnd: 231.1, monthEndSource: 'forecast', budget: 200, monthToDateThreshold: 0.8, forecastThreshold: 1 },
      }),
      { region: REGION, label },
    ),
  'test-upload alert': (v) =>
    alertMessage(alertState('test-upload', 'firing', { finding: { rule: 'test-upload', ok: false, totalMs: 40, maxMs: 5_000, failure: { step: v, message: 'The bucket policy denies PutObject' } } }), { region: REGION, label }),
  'uploads from a listing': (v) => buildUploads(uploadsData(v)).message,
  'changes from CloudTrail': (v) => buildChanges({ bucket: SURGICAL_BUCKET, generatedAt: NOW, since: NOW, sinceMs: 86_400_000, who: v, changes: hostileChanges(v) }).message,
  'uploads from the access log': (v) => ({
    summary: 'uploads',
    blocks: accessLogUploadsBlocks(
      {
        total: 1,
        failed: 1,
        notListed: 0,
        shown: [{ time: NOW, size: 10, requester: v, ip: v, key: v, status: 403, error: v, failed: true }],
        failuresByCode: [{ label: v, count: 1 }],
        byRequester: [{ requester: v, uploads: 1, failed: 1 }],
        source: { logBucket: 'logs', logPrefix: 'p/', partitioned: false, objects: 1, fromCache: 0, newestRecordAt: NOW, unreadableLines: 0 },
      } as never,
      ` under \`p/\``,
    ),
  }),
  'errors from the access log': (v) => ({
    summary: 'errors',
    blocks: accessLogErrorsBlocks(
      {
        source: { logBucket: 'logs', logPrefix: v, partitioned: false, objects: 1, fromCache: 0, parsed: 1, newestRecordAt: NOW, unreadableLines: 0, stopped: null },
        clientErrors: 1,
        serverErrors: 0,
        clientByCode: [{ label: v, count: 1 }],
        topRequesters: [{ label: v, count: 1 }],
        topIps: [{ label: v, count: 1 }],
        notListed: 0,
      },
      NOW,
    ),
  }),
  'alerts list': (v) =>
    buildAlerts(
      [alertState('access-denied', 'firing', { finding: hostileDenials(v, 'REST.GET.OBJECT') })],
      NOW,
      label,
    ).message,
  'status lifecycle rule': (v) => ({
    summary: 'status',
    blocks: [{ kind: 'list', title: 'Lifecycle rules (1)', items: [{ text: lifecycleRuleText({ id: v, enabled: true, prefix: v, transitions: [], expirationDays: 7 }) }] }],
  }),
  'cleanup preview': (v) =>
    cleanupPreviewMessage({
      bucket: 'docs',
      label: 'docs',
      prefix: v,
      olderThanDays: 7,
      cutoff: NOW,
      plan: { targets: [], keys: 2, bytes: 20, extraVersions: 0, oldest: NOW, newest: NOW, sample: [v, `${v}/2`], unmarkedKept: 1 },
      includeUnmarked: false,
      buttonValue: 'sealed',
    }),
  'cleanup summary': (v) =>
    cleanupSummaryMessage('docs', 'U0ADMIN', { deleted: 1, bytes: 1, total: 2, batches: 1, failures: [{ key: v, versionId: v, code: v, message: v }], failedCount: 1 } as never, NOW),
  'bad input echo': (v) => {
    const parsed = parseCommand(['look', v.replace(/^-+/, '')], fakeRegistry, twoBuckets);
    return parsed.ok ? { summary: 'ok', blocks: [] } : badInput(parsed.problem, parsed.usage);
  },
};

/** An access-denied finding naming one denial whose requester, IP, key and error are `v`. */
function hostileDenials(v: string, operation: string): AlertFinding {
  return {
    rule: 'access-denied',
    judged: true,
    count: 1,
    threshold: 1,
    windowMinutes: 15,
    allowed: 0,
    newest: [{ at: NOW.toISOString(), requesterLabel: v, ip: v, operation, key: v, errorCode: v }],
  };
}

/** Changes whose principal, IP, error, rule ids, policy actions and ACL are `v`. */
function hostileChanges(v: string) {
  const by = { userIdentity: { type: 'IAMUser', userName: v }, sourceIPAddress: v };
  return bucketChanges([
    trailRecord('PutBucketLifecycle', NOW, { ...by, requestParameters: { LifecycleConfiguration: { Rule: [{ ID: v }, { ID: 'keep' }] } } }),
    trailRecord('PutBucketLifecycle', NOW, { ...by, requestParameters: { LifecycleConfiguration: { Rule: { ID: 'keep' } } } }),
    trailRecord('PutBucketPolicy', NOW, { ...by, requestParameters: { bucketPolicy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: v }] } } }),
    trailRecord('PutBucketAcl', NOW, { ...by, requestParameters: { 'x-amz-acl': [v] } }),
    trailRecord('PutBucketVersioning', NOW, { ...by, errorCode: v, requestParameters: { VersioningConfiguration: { Status: v } } }),
    trailRecord(v, NOW, by),
  ]);
}

function uploadsData(v: string): UploadsData {
  return {
    bucket: SURGICAL_BUCKET,
    prefix: v,
    sinceMs: null,
    objects: [{ key: v, size: 10, lastModified: NOW, storageClass: 'STANDARD' }],
    scanned: 1,
    scanBudget: 10_000,
    truncated: false,
    generatedAt: NOW,
  } as unknown as UploadsData;
}

/** Adds one to a token's count. */
function count(tokens: Map<string, number>, token: string): void {
  tokens.set(token, (tokens.get(token) ?? 0) + 1);
}

/** Every mrkdwn text of a Slack message, with whether Slack reads it verbatim. */
function slackTexts(message: ReturnType<typeof renderSlack>): { text: string; verbatim: boolean }[] {
  const texts: { text: string; verbatim: boolean }[] = [{ text: message.text, verbatim: true }];
  JSON.stringify(message.blocks, (key, value: unknown) => {
    const object = value as { type?: string; text?: unknown; verbatim?: boolean } | null;
    if (object && typeof object === 'object' && object.type === 'mrkdwn' && typeof object.text === 'string') {
      texts.push({ text: object.text, verbatim: object.verbatim === true });
    }
    return value;
  });
  return texts;
}

/**
 * What Slack reads as markup: `<…>` (mentions, pings, links), a formatting character that is not
 * inside a word, and a quote at a line start.
 */
function slackMarkup(message: ReturnType<typeof renderSlack>): Map<string, number> {
  const tokens = new Map<string, number>();
  for (const { text: whole } of slackTexts(message)) {
    // Nothing inside a code block or span is formatting; only their delimiters are.
    const text = whole
      .replace(/```[\s\S]*?```/g, () => (count(tokens, '```'), ' '))
      .replace(/`[^`\n]+`/g, () => (count(tokens, '`…`'), ' '));
    for (const m of text.matchAll(/<[^<>]*>/g)) count(tokens, m[0]);
    for (const m of text.matchAll(/[*_~`]/g)) {
      const at = m.index ?? 0;
      const inWord = /[\p{L}\p{N}]/u.test(text[at - 1] ?? ' ') && /[\p{L}\p{N}]/u.test(text[at + 1] ?? ' ');
      if (!inWord) count(tokens, m[0]);
    }
    for (const line of text.split('\n')) if (/^\s*(>|&gt;)/.test(line)) count(tokens, 'quote');
  }
  return tokens;
}

/** Every text of a Teams card Teams reads as Markdown. */
function teamsTexts(body: ReturnType<typeof renderTeams>): string[] {
  const texts: string[] = [];
  JSON.stringify(body, (key, value: unknown) => {
    const object = value as { type?: string; text?: unknown; title?: unknown; value?: unknown } | null;
    if (object && typeof object === 'object') {
      if (object.type === 'TextBlock' && typeof object.text === 'string') texts.push(object.text);
      if (typeof object.title === 'string' && typeof object.value === 'string') texts.push(object.title, object.value);
    }
    return value;
  });
  return texts;
}

/**
 * What Teams reads as a link or a list: an unescaped `[…](` with a `)` somewhere after it in the
 * text (CommonMark makes no link of `[a](` that is never closed, so the renderer leaves it alone),
 * and a list marker opening a line.
 */
function teamsMarkup(body: ReturnType<typeof renderTeams>): Map<string, number> {
  const tokens = new Map<string, number>();
  for (const text of teamsTexts(body)) {
    for (const m of text.matchAll(/(?<!\\)\[(?:[^\]\\]|\\.)*\]\((?=[^]*\))/g)) count(tokens, `link ${m[0]}`);
    for (const line of text.split('\n')) if (/^ {0,3}(?:[-*]|\d{1,9}\.)(?:\s|$)/.test(line)) count(tokens, 'list');
  }
  return tokens;
}

/** True when every token of `found` is also in `allowed`, at least as often. */
function within(found: Map<string, number>, allowed: Map<string, number>): boolean {
  return [...found].every(([token, n]) => (allowed.get(token) ?? 0) >= n);
}

// Control, bidi and invisible characters; the terminal check allows the line breaks the renderer writes.
const HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

function checkShownAsData(build: (v: string) => Message, value: string): void {
  const harmless = build(HARMLESS);
  const hostile = build(value);
  const slack = renderSlack(hostile);
  for (const t of slackTexts(slack).slice(1)) expect(t.verbatim).toBe(true);
  const extraSlack = [...slackMarkup(slack)].filter(([t, n]) => (slackMarkup(renderSlack(harmless)).get(t) ?? 0) < n);
  expect(extraSlack, JSON.stringify(slack.blocks).slice(0, 2000)).toEqual([]);
  expect(within(teamsMarkup(renderTeams(hostile)), teamsMarkup(renderTeams(harmless))), JSON.stringify(teamsTexts(renderTeams(hostile)))).toBe(true);
  for (const text of [...slackTexts(slack).map((t) => t.text), ...teamsTexts(renderTeams(hostile))]) expect(text).not.toMatch(HIDDEN);
  const plain = renderText(hostile);
  expect(plain).not.toMatch(HIDDEN);
  // With colour on, the only escape sequences are the renderer's own SGR colours.
  expect(renderText(hostile, { color: true }).replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(HIDDEN);
}

describe('hostile data is shown as data', () => {
  for (const [report, build] of Object.entries(builders)) {
    describe(report, () => {
      it.each(corpus.map((c) => [c.name, c] as const))('%s: no markup from the value, and the value is readable', (_, c) => {
        checkShownAsData(build, c.value);
        const message = build(c.value);
        const shown = [JSON.stringify(renderSlack(message)), JSON.stringify(renderTeams(message)), renderText(message)];
        for (const surface of shown) expect(surface).toContain(c.visible);
      });

      it('no markup from any string', () => {
        fc.assert(
          fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...corpus.map((c) => c.value))), (value) => {
            checkShownAsData(build, value);
          }),
          // Always tried as well: link openers that never close, and one closed only by the text after it.
          { numRuns: 150, examples: [['[](/2'], ['[a](https://evil.example'], ['[a](https://evil.example) ']] },
        );
      });
    });
  }

  it('the issue 12 key reaches no surface as a mention or a link', () => {
    const key = corpus[0]!.value;
    const message = builders['access-denied alert']!(key);
    const slack = JSON.stringify(renderSlack(message));
    expect(slack).not.toContain('<@U0VICTIM>');
    expect(slack).not.toContain('<https://evil.example');
    expect(slack).toContain('&lt;@U0VICTIM&gt;');
    expect(JSON.stringify(renderTeams(message))).not.toMatch(/(?<!\\)\[here\]\(https:\/\/evil/);
    expect(renderText({ summary: 's', blocks: [{ kind: 'text', text: `key ${key}\u001b]0;x\u0007` }] })).not.toContain('\u001b');
  });
});
