import { describe, expect, it } from 'vitest';
import { configChangeRule, type ConfigChangeSettings } from '../../../src/alerts/rules/config-change.js';
import { ALERT_RULES, ruleNamed } from '../../../src/alerts/rules/index.js';
import { bucketChanges } from '../../../src/cloudtrail/bucket-changes.js';
import { RISKY_CHANGES } from '../../../src/cloudtrail/changes.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { stripMarkup } from '../../../src/message/markup.js';
import { at, trailRecord } from '../../fixtures/cloudtrail/trail-records.js';
import { NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';
import { alertFindingLine } from '../../../src/message/alert-wording.js';

const SETTINGS: ConfigChangeSettings = { changes: [...RISKY_CHANGES], allowPrincipals: [], windowHours: 24 };
const DEPLOY = { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/Deploy/ci-1234' };
const versioning = (Status: string, fields: Record<string, unknown> = {}) => ({ requestParameters: { VersioningConfiguration: { Status } }, ...fields });

function judge(records: Parameters<typeof bucketChanges>[0], settings: Partial<ConfigChangeSettings> = {}) {
  return configChangeRule.evaluate({
    bucket: SURGICAL_BUCKET,
    settings: { ...SETTINGS, ...settings },
    end: NOW,
    requestPoints: () => [],
    storageBytes: [],
    requestMetricsConfigured: null,
    trail: { ok: true, start: at(-600), end: NOW, changes: bucketChanges(records) },
  });
}

describe('config-change', () => {
  it('is one of the rules, on by default for every risky change', () => {
    expect(ruleNamed('config-change', ALERT_RULES)).toBe(configChangeRule);
    const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket' }] });
    expect(configChangeRule.settings(config, config.buckets[0]!)).toEqual(SETTINGS);
  });

  it('fires on a risky change, naming who, from where, with what and when', () => {
    const verdict = judge([trailRecord('PutBucketVersioning', at(0), versioning('Suspended', { userIdentity: DEPLOY }))]);
    expect(verdict).toMatchObject({ status: 'firing', value: 1, breachingSince: at(0) });
    expect(stripMarkup(alertFindingLine(verdict.finding))).toBe('Risky configuration change: versioning Enabled → Suspended by assumed-role Deploy/ci-1234 from 203.0.113.7 (AWS CLI 2.15.0) at 2026-12-03 09:00 UTC');
  });

  it('resolves once a later change sets the setting back, whoever makes it', () => {
    const verdict = judge([trailRecord('PutBucketVersioning', at(0), versioning('Suspended', { userIdentity: DEPLOY })), trailRecord('PutBucketVersioning', at(5), versioning('Enabled'))]);
    expect(verdict).toMatchObject({ status: 'ok', value: 0 });
  });

  it('an attempt that failed does not fire, nor stand a risky change down', () => {
    expect(judge([trailRecord('DeleteBucketEncryption', at(0), { errorCode: 'AccessDenied' })]).status).toBe('ok');
    const verdict = judge([trailRecord('DeleteBucketEncryption', at(0)), trailRecord('PutBucketEncryption', at(1), { errorCode: 'AccessDenied', requestParameters: {} })]);
    expect(verdict.status).toBe('firing');
  });

  it('leaves out allowed principals and changes not asked for', () => {
    const records = [trailRecord('PutBucketVersioning', at(0), versioning('Suspended', { userIdentity: DEPLOY }))];
    expect(judge(records, { allowPrincipals: ['assumed-role Deploy/*'] }).status).toBe('ok');
    expect(judge(records, { changes: ['public-policy'] }).status).toBe('ok');
  });

  it('names several standing changes, newest first', () => {
    const verdict = judge([trailRecord('DeleteBucketEncryption', at(0)), trailRecord('PutBucketLogging', at(2), { requestParameters: { BucketLoggingStatus: {} } })]);
    expect(verdict.value).toBe(2);
    expect(stripMarkup(alertFindingLine(verdict.finding))).toMatch(/^Risky configuration changes: server access logging off by .*; default encryption removed by /);
  });

  it('is not judged when CloudTrail could not be read, and says why', () => {
    const verdict = configChangeRule.evaluate({
      bucket: SURGICAL_BUCKET,
      settings: SETTINGS,
      end: NOW,
      requestPoints: () => [],
      storageBytes: [],
      requestMetricsConfigured: null,
      trail: { ok: false, reason: "CloudTrail could not be read: AWS denied LookupEvents. Grant the bot's IAM role `cloudtrail:LookupEvents`." },
    });
    expect(verdict).toMatchObject({ status: 'ok', hasData: false });
    expect(alertFindingLine(verdict.finding)).toContain('cloudtrail:LookupEvents');
  });
});

describe('config-change settings', () => {
  it('refuses a change it does not know, naming the key', async () => {
    const { ConfigError, loadConfig } = await import('../../../src/config/load.js');
    const yaml = 'buckets:\n  - name: my-bucket\nalerts:\n  thresholds:\n    config-change:\n      changes: [public-bucket]\n';
    const error = await loadConfig({ env: { AWS_REGION: 'us-east-1' }, purpose: 'cli', readFile: async () => yaml }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as InstanceType<typeof ConfigError>).problems.join('\n')).toContain("alerts.thresholds.config-change.changes[0]: expected \"public-access-block-off\" or");
  });

  it('a bucket may switch it off', () => {
    const config = fileConfigSchema.parse({ buckets: [{ name: 'docs-bucket', thresholds: { 'config-change': false } }] });
    expect(configChangeRule.settings(config, config.buckets[0]!)).toBeNull();
  });
});
