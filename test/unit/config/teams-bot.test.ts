import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { redactEnv, secretValues } from '../../../src/config/redact.js';
import { teamsAuthConfiguration } from '../../../src/teams/adapter.js';

const FILE = `
buckets:
  - name: docs-bucket
teams:
  allowedUsers: [0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b]
  auditChannel: "19:abc123@thread.tacv2"
`;
const ENV = { AWS_REGION: 'us-east-1', SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shhh-secret' };
const TEAMS = { TEAMS_APP_ID: '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f', TEAMS_TENANT_ID: '8d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5', TEAMS_APP_PASSWORD: 'Abc8Q~very-secret-client-value' };

const load = (env: Record<string, string>, file = FILE) => loadConfig({ env: { ...ENV, ...env }, purpose: 'bot', readFile: async () => file });

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the Teams bot settings', () => {
  it('are off without TEAMS_APP_ID, and the file settings still default', async () => {
    const config = await load({}, 'buckets:\n  - name: docs-bucket\n');
    expect(config.teamsBot).toBeUndefined();
    expect(config.teams).toEqual({ allowedUsers: [], serviceUrl: 'https://smba.trafficmanager.net/teams/' });
  });

  it('carry the app id, tenant, secret and authority when set', async () => {
    const config = await load({ ...TEAMS, TEAMS_AUTHORITY: 'https://login.microsoftonline.us' });
    expect(config.teamsBot).toEqual({ appId: TEAMS.TEAMS_APP_ID, tenantId: TEAMS.TEAMS_TENANT_ID, password: TEAMS.TEAMS_APP_PASSWORD, authority: 'https://login.microsoftonline.us' });
    expect(config.teams).toEqual({ allowedUsers: ['0f9e5a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b'], auditChannel: '19:abc123@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/teams/' });
    // The SDK checks issuers, and fetches keys under the configured authority.
    expect(teamsAuthConfiguration(config.teamsBot!)).toMatchObject({ clientId: TEAMS.TEAMS_APP_ID, tenantId: TEAMS.TEAMS_TENANT_ID, authority: 'https://login.microsoftonline.us', validateIssuer: true });
  });

  it('say everything missing from a half-configured bot at once', async () => {
    const problems = await problemsOf(load({ TEAMS_APP_ID: TEAMS.TEAMS_APP_ID }));
    expect(problems).toEqual([expect.stringContaining('TEAMS_TENANT_ID is not set'), expect.stringContaining('TEAMS_APP_PASSWORD is not set')]);
    expect(await problemsOf(load({ TEAMS_APP_PASSWORD: 'x' }))).toEqual([expect.stringContaining('TEAMS_APP_ID is not set')]);
    expect(await problemsOf(load({ ...TEAMS, TEAMS_AUTHORITY: 'not a url' }))).toEqual([expect.stringContaining('TEAMS_AUTHORITY must be a URL')]);
  });

  it('take a certificate instead of a secret', async () => {
    const config = await load({ TEAMS_APP_ID: TEAMS.TEAMS_APP_ID, TEAMS_TENANT_ID: TEAMS.TEAMS_TENANT_ID, TEAMS_CERT_PEM_FILE: '/run/cert.pem', TEAMS_CERT_KEY_FILE: '/run/key.pem' });
    expect(config.teamsBot).toMatchObject({ certPemFile: '/run/cert.pem', certKeyFile: '/run/key.pem' });
    expect(config.teamsBot?.password).toBeUndefined();
  });

  it('refuse a person named by anything but an Entra object id, and a channel by anything but its conversation id', async () => {
    const problems = await problemsOf(load(TEAMS, 'buckets:\n  - name: docs-bucket\nteams:\n  allowedUsers: [dana@example.org]\n  auditChannel: "#ops"\n'));
    expect(problems).toEqual([expect.stringContaining('is not a Microsoft Entra object id'), expect.stringContaining('conversation id')]);
  });

  it('take an alert channel and a Bot Connector URL, each checked, and refuse a channel without the bot\'s identity', async () => {
    const withChannel = (extra = '') => `buckets:\n  - name: docs-bucket\nteams:\n  alertChannel: "19:alerts0@thread.tacv2"\n${extra}`;
    const config = await load(TEAMS, withChannel('  serviceUrl: https://smba.trafficmanager.net/emea/\n'));
    expect(config.teams).toMatchObject({ alertChannel: '19:alerts0@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    expect(await problemsOf(load(TEAMS, withChannel('  serviceUrl: smba.trafficmanager.net\n')))).toEqual([expect.stringContaining('teams.serviceUrl must be a URL')]);
    // The bot's token goes with every call: plain http only to this machine.
    expect(await problemsOf(load(TEAMS, withChannel('  serviceUrl: http://smba.trafficmanager.net/teams/\n')))).toEqual([expect.stringContaining('teams.serviceUrl must use https')]);
    expect((await load(TEAMS, withChannel('  serviceUrl: http://127.0.0.1:3978/\n'))).teams).toMatchObject({ serviceUrl: 'http://127.0.0.1:3978/' });
    expect(await problemsOf(load(TEAMS, 'buckets:\n  - name: docs-bucket\nteams:\n  alertChannel: "#alerts"\n'))).toEqual([expect.stringContaining('conversation id')]);
    expect(await problemsOf(load({}, withChannel()))).toEqual([expect.stringContaining('teams.alertChannel is set, but the bot has no identity: set TEAMS_APP_ID')]);
  });

  it('never print the client secret', () => {
    const env = { ...ENV, ...TEAMS };
    expect(redactEnv(env).TEAMS_APP_PASSWORD).toBe('[redacted]');
    expect(secretValues(env)).toContain(TEAMS.TEAMS_APP_PASSWORD);
  });
});

describe('doctor on the Teams bot', () => {
  it('says it is off without TEAMS_APP_ID, and as whom it answers, with who may confirm a cleanup, when on', async () => {
    const { checkTeamsBot } = await import('../../../src/cli/doctor-teams.js');
    expect(checkTeamsBot(await load({}, 'buckets:\n  - name: docs-bucket\n'))).toMatchObject({ status: 'skip', detail: expect.stringContaining('TEAMS_APP_ID is not set') });
    const on = checkTeamsBot(await load(TEAMS));
    expect(on.status).toBe('ok');
    expect(on.detail).toContain(TEAMS.TEAMS_APP_ID);
    expect(on.detail).toContain('1 person may confirm a cleanup');
    expect(on.detail).not.toContain(TEAMS.TEAMS_APP_PASSWORD);
    expect(checkTeamsBot(await load(TEAMS, 'buckets:\n  - name: docs-bucket\n')).detail).toContain('no one may confirm a cleanup from Teams');
    expect(on.detail).toContain('alerts are not posted by the bot (teams.alertChannel is not set)');
    const alerts = checkTeamsBot(await load(TEAMS, 'buckets:\n  - name: docs-bucket\nteams:\n  alertChannel: "19:alerts0@thread.tacv2"\n'));
    expect(alerts.detail).toContain('alerts are posted to 19:alerts0@thread.tacv2 through https://smba.trafficmanager.net/teams/');
  });
});
