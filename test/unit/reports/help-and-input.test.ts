import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { badInput } from '../../../src/reports/bad-input.js';
import { buildHelp } from '../../../src/reports/help.js';
import { parseWindow, periodForWindow, windowName } from '../../../src/reports/window.js';
import { COMMANDS } from '../../fixtures/reports/commands.js';


describe('buildHelp', () => {
  it('lists every command with its example, prefixed for the surface', () => {
    const slack = renderText(buildHelp(COMMANDS).message);
    expect(slack).toContain('/s3 uploads [bucket] [--prefix P] [--limit N] [--since 24h]: the newest objects, newest first');
    expect(slack).toContain('e.g. /s3 costs --days 30');
    const cli = buildHelp(COMMANDS, 's3-chatops');
    expect(renderText(cli.message)).toContain('e.g. s3-chatops status surgical-docs');
    expect(cli.message.summary).toBe('s3-chatops commands: status, uploads, errors, costs, help');
  });
});

describe('badInput', () => {
  it('is ephemeral, says what was wrong and shows the usage', () => {
    const message = badInput('Unknown subcommand `stauts`.', ['/s3 status [bucket]', '/s3 help']);
    expect(message.ephemeral).toBe(true);
    expect(renderText(message)).toBe('  ! Unknown subcommand stauts.\n\nUsage\n  - /s3 status [bucket]\n  - /s3 help\n');
  });
  it('keeps 10,000 characters of noise short and within Slack limits', () => {
    const message = badInput(`Unknown bucket "${'<&>'.repeat(3400)}".`, ['/s3 status [bucket]']);
    const slack = renderSlack(message);
    expect(slack.text.length).toBeLessThanOrEqual(3000);
    for (const b of slack.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(slack)).not.toMatch(/<&>/);
  });
});

describe('windows', () => {
  it('parses 30m, 1h, 24h and 7d and nothing else', () => {
    expect(parseWindow('30m')).toBe(1_800_000);
    expect(parseWindow('1h')).toBe(3_600_000);
    expect(parseWindow('24h')).toBe(86_400_000);
    expect(parseWindow('7D')).toBe(604_800_000);
    for (const bad of ['', '0h', 'h', '1w', '1.5h', '-1h', '24 hours']) expect(parseWindow(bad)).toBeNull();
  });
  it('names windows as the commands write them', () => {
    expect(windowName(3_600_000)).toBe('1h');
    expect(windowName(86_400_000)).toBe('24h');
    expect(windowName(604_800_000)).toBe('7d');
    expect(windowName(1_800_000)).toBe('30m');
  });
  it('picks a period that keeps a window under 1,440 points', () => {
    expect(periodForWindow(3_600_000)).toBe(60);
    expect(periodForWindow(86_400_000)).toBe(3600);
    expect(periodForWindow(604_800_000)).toBe(21_600);
    expect(periodForWindow(90 * 86_400_000) ).toBe(86_400);
  });
});
