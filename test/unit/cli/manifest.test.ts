import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { manifestWithUrl, PLACEHOLDER_REQUEST_URL, readShippedManifest, requestUrlFor } from '../../../src/cli/manifest.js';

describe('the shipped Slack app manifest', () => {
  it('declares /s3, interactivity, the Home tab, app_home_opened and only the scopes it uses', async () => {
    const manifest = parseYaml(await readShippedManifest());
    expect(manifest._metadata.major_version).toBe(2);
    expect(manifest.features.bot_user.display_name).toBe('s3-chatops');
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: '/s3', url: PLACEHOLDER_REQUEST_URL });
    expect(manifest.features.slash_commands[0].description.length).toBeGreaterThan(0);
    expect(manifest.features.slash_commands[0].usage_hint.length).toBeGreaterThan(0);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: PLACEHOLDER_REQUEST_URL, bot_events: ['app_home_opened'] });
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: PLACEHOLDER_REQUEST_URL });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('keeps within Slack\'s manifest limits', async () => {
    const manifest = parseYaml(await readShippedManifest());
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  });
});

describe('requestUrlFor', () => {
  it('adds /slack/events to a bare https host and keeps an explicit path', () => {
    expect(requestUrlFor('https://bot.acme.org')).toEqual({ url: 'https://bot.acme.org/slack/events' });
    expect(requestUrlFor('https://bot.acme.org/')).toEqual({ url: 'https://bot.acme.org/slack/events' });
    expect(requestUrlFor('https://acme.org/s3/slack/events')).toEqual({ url: 'https://acme.org/s3/slack/events' });
  });

  it('refuses what Slack would not call', () => {
    expect(requestUrlFor('http://bot.acme.org')).toHaveProperty('problem');
    expect(requestUrlFor('bot.acme.org')).toHaveProperty('problem');
  });
});

describe('manifestWithUrl', () => {
  it('replaces every placeholder and keeps the comments', () => {
    const text = `# why\nurl: ${PLACEHOLDER_REQUEST_URL}\nrequest_url: ${PLACEHOLDER_REQUEST_URL}\n`;
    expect(manifestWithUrl(text, 'https://x.org/slack/events')).toBe('# why\nurl: https://x.org/slack/events\nrequest_url: https://x.org/slack/events\n');
    expect(manifestWithUrl(text)).toBe(text);
  });
});
