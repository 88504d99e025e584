// `/s3 alerts` (buildAlerts): firing, snoozed, resolved in the last 24 h, and nothing at all; golden
// files of what a person sees, checked like the other commands' (update with -u and review the diff).
import { describe, expect, it } from 'vitest';
import { buildAlerts, firingByBucket } from '../../../src/alerts/report.js';
import type { Message } from '../../../src/message/model.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { alertState, storedLine } from './alert-states.js';

const NOW = new Date('2026-11-26T17:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const labels: Record<string, string> = { 'surgical-docs-prod': 'surgical-docs (surgical-docs-prod)' };
const label = (b: string) => labels[b] ?? b;

const states = [
  alertState('server-errors', 'surgical-docs-prod', { status: 'firing', episode: 2, version: 5, since: ago(25), finding: { rule: 'server-errors', count: 42, threshold: 5, periodMinutes: 5, periods: 2 } }),
  alertState('latency', 'surgical-docs-prod', { status: 'firing', episode: 1, version: 2, since: ago(70), acknowledgedBy: 'U0ACKER', acknowledgedAt: ago(60), finding: { rule: 'latency', averageMs: 6_200, thresholdMs: 5_000, forMinutes: 5 } }, 'warning'),
  alertState('cost-budget', '*', { status: 'firing', episode: 1, version: 2, since: ago(600), snoozedUntil: later(180), snoozedBy: 'U0SNOOZER', finding: storedLine('S3 spend **$170.00** month to date') }, 'warning'),
  // Snoozed until a time already past: firing again.
  alertState('size-quota', 'archive-2019', { status: 'firing', episode: 1, version: 3, since: ago(2_000), snoozedUntil: ago(5), snoozedBy: 'U0SNOOZER', finding: storedLine('Size **9.1 GB** is 91% of the 10 GB quota (threshold 80%)') }, 'warning'),
  alertState('error-rate', 'archive-2019', { status: 'resolved', episode: 1, version: 2, since: ago(300), resolvedAt: ago(240), finding: { rule: 'error-rate', rate: 0.02, threshold: 0.1, forMinutes: 5, minRequests: 100 } }),
  // Resolved more than a day ago, and a pending one: neither is listed.
  alertState('server-errors', 'archive-2019', { status: 'resolved', episode: 1, version: 2, since: ago(3_000), resolvedAt: ago(1_500) }),
  alertState('latency', 'archive-2019', { status: 'pending', since: ago(3) }, 'warning'),
];

async function golden(name: string, message: Message): Promise<void> {
  await expect(`${JSON.stringify(renderSlack(message), null, 2)}\n`).toMatchFileSnapshot(`../../golden/${name}.slack.json`);
  await expect(renderText(message)).toMatchFileSnapshot(`../../golden/${name}.txt`);
}

describe('buildAlerts', () => {
  it('sorts states into firing, snoozed, and resolved in the last 24 h', () => {
    const { data, message } = buildAlerts(states, NOW, label);
    expect(data.firing.map((s) => s.id)).toEqual(['server-errors:surgical-docs-prod', 'latency:surgical-docs-prod', 'size-quota:archive-2019']);
    expect(data.snoozed.map((s) => s.id)).toEqual(['cost-budget:*']);
    expect(data.resolved.map((s) => s.id)).toEqual(['error-rate:archive-2019']);
    expect(message.summary).toBe('S3 alerts: 3 firing, 1 snoozed, 1 resolved in 24 h');
    const text = renderText(message);
    expect(text).toContain('server-errors on surgical-docs (surgical-docs-prod)');
    expect(text).toContain('acknowledged by');
    expect(text).toContain('cost-budget on all buckets');
    expect(text).toContain('resolved 4 h ago');
  });

  it('with nothing firing or resolved says so', () => {
    const { data, message } = buildAlerts([alertState('latency', 'archive-2019', { status: 'ok' })], NOW, label);
    expect(data).toMatchObject({ firing: [], snoozed: [], resolved: [] });
    const text = renderText(message);
    expect(text).toContain('Nothing firing');
    expect(text).toContain('Resolved in the last 24 h (0)');
    expect(text).not.toContain('Snoozed');
  });

  it('golden: firing, snoozed and resolved', async () => golden('alerts', buildAlerts(states, NOW, label).message));
  it('golden: no alerts', async () => golden('alerts-empty', buildAlerts([], NOW, label).message));
});

describe('firingByBucket (status and App Home)', () => {
  it('lists each bucket\'s firing alerts, snoozed ones too, and nothing else', () => {
    const byBucket = firingByBucket(states);
    expect(Object.keys(byBucket).sort()).toEqual(['*', 'archive-2019', 'surgical-docs-prod']);
    expect(byBucket['surgical-docs-prod']!.map((a) => a.rule)).toEqual(['server-errors', 'latency']);
    expect(byBucket['archive-2019']).toEqual([{ rule: 'size-quota', severity: 'warning', text: 'Size **9.1 GB** is 91% of the 10 GB quota (threshold 80%)', since: new Date(ago(2_000)) }]);
  });
});
