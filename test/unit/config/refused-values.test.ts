import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const ENV = { AWS_REGION: 'us-east-1' };

/** The problems the loader reports for a YAML file; fails the test when it loads. */
async function problemsOf(yaml: string): Promise<string[]> {
  try {
    await loadConfig({ env: ENV, purpose: 'cli', readFile: async () => yaml });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected the configuration to be refused:\n${yaml}`);
}

/** A file of one bucket and `rest`. */
const withBucket = (rest: string) => `buckets:\n  - name: my-bucket\n${rest}`;

describe('cron settings, checked by node-cron with every other setting', () => {
  it('names schedules.alertEvaluation when its cron is not one', async () => {
    expect(await problemsOf(withBucket('schedules:\n  alertEvaluation: "not a cron"\n'))).toEqual([
      's3-chatops.yml: schedules.alertEvaluation: "not a cron" is not a cron expression (expected 5 or 6 fields but got 3); write five fields, minute hour day-of-month month day-of-week, e.g. "*/5 * * * *"',
    ]);
  });

  it('names schedules.testUpload, not alertEvaluation, when the test-upload cron is wrong', async () => {
    const problems = await problemsOf(withBucket('schedules:\n  testUpload: "every hour"\n'));
    expect(problems).toEqual([expect.stringMatching(/^s3-chatops\.yml: schedules\.testUpload: "every hour" is not a cron expression \(expected 5 or 6 fields but got 2\)/)]);
  });

  it('says which field of a five-field cron is out of range', async () => {
    expect(await problemsOf(withBucket('schedules:\n  alertEvaluation: "60 * * * *"\n'))).toEqual([
      expect.stringContaining('schedules.alertEvaluation: "60 * * * *" is not a cron expression (60 is a invalid expression for minute)'),
    ]);
  });

  it('refuses cadences under a minute for alert evaluation and test uploads', async () => {
    const problems = await problemsOf(withBucket('schedules:\n  alertEvaluation: "* * * * * *"\n  testUpload: "*/30 * * * * *"\n'));
    expect(problems).toEqual([
      's3-chatops.yml: schedules.alertEvaluation: "* * * * * *" runs 60 times a minute; run it at most once a minute (e.g. "* * * * *"): each run calls AWS and costs money',
      's3-chatops.yml: schedules.testUpload: "*/30 * * * * *" runs 2 times a minute; run it at most once a minute (e.g. "* * * * *"): each run calls AWS and costs money',
    ]);
  });

  it('takes every minute, a six-field cron firing once a minute, and the shortcuts node-cron knows', async () => {
    for (const cron of ['* * * * *', '30 * * * * *', '0 */5 * * * *', '@hourly', '5 4 * * sun']) {
      const config = await loadConfig({ env: ENV, purpose: 'cli', readFile: async () => withBucket(`schedules:\n  alertEvaluation: "${cron}"\n  testUpload: "${cron}"\n`) });
      expect(config.schedules.alertEvaluation).toBe(cron);
    }
  });

  it('reports a bad cron and a bad time zone together', async () => {
    const problems = await problemsOf(withBucket('schedules:\n  alertEvaluation: "x"\n  timezone: Mars/Olympus\n'));
    expect(problems).toEqual([expect.stringContaining('schedules.alertEvaluation: "x"'), expect.stringContaining('schedules.timezone: not a time zone name')]);
  });
});

describe('a value of the wrong type says what it got, not "is required"', () => {
  it.each([
    ['cleanup:\n  olderThanDays: "7"\n', 'cleanup.olderThanDays: expected a number, got a string ("7")'],
    ['alerts:\n  repeatHours: four\n', 'alerts.repeatHours: expected a number, got a string ("four")'],
    ['alerts:\n  repeatHours: null\n', 'alerts.repeatHours: expected a number, got null'],
    ['alerts:\n  bucketsPerJob: 1.5\n', 'alerts.bucketsPerJob: expected a whole number, got a number (1.5)'],
    ['testUpload:\n  deleteAfter: "yes"\n', 'testUpload.deleteAfter: expected a boolean, got a string ("yes")'],
    ['cleanup:\n  allowedUsers: U0ADMIN\n', 'cleanup.allowedUsers: expected an array, got a string ("U0ADMIN")'],
    ['alerts:\n  thresholds:\n    latency: true\n', 'alerts.thresholds.latency: expected false or an object, got a boolean (true)'],
    ['alerts:\n  thresholds:\n    size-quota: { ratio: "80%" }\n', 'alerts.thresholds.size-quota.ratio: expected a number, got a string ("80%")'],
  ])('%s', async (rest, message) => {
    expect(await problemsOf(withBucket(rest))).toEqual([`s3-chatops.yml: ${message}`]);
  });

  it('still says "is required" for what is missing', async () => {
    expect(await problemsOf('buckets:\n  - alias: docs\n')).toEqual(['s3-chatops.yml: buckets[0].name: is required']);
  });
});

describe('nonsense values get a message that says what is wrong', () => {
  it.each([
    ['alerts:\n  repeatHours: 0.001\n', "alerts.repeatHours: must be at least 0.5 (30 minutes): reminders more often flood the alert's thread"],
    ['alerts:\n  repeatHours: 1000\n', 'alerts.repeatHours: must be at most 168 (a week)'],
    ['budget:\n  monthlyUsd: 0\n', 'budget.monthlyUsd: the monthly budget must be more than 0; leave budget out for none'],
    ['cleanup:\n  olderThanDays: -3\n', 'cleanup.olderThanDays: cleanup must keep at least one day of test files'],
    ['cleanup:\n  takeoverSeconds: 2\n', 'cleanup.takeoverSeconds: must be at least 5: a live worker renews its lock at half that'],
    ['cleanup:\n  takeoverSeconds: 3600\n', 'cleanup.takeoverSeconds: must be at most 600 (ten minutes)'],
    ['cleanup:\n  allowedUsers: ["*"]\n', 'cleanup.allowedUsers[0]: "*" is not a Slack user id; list ids such as U0123ABCD (profile → ⋯ → Copy member ID), one per person: there is no wildcard'],
    ['cleanup:\n  allowedUsers: ["@alice"]\n', 'cleanup.allowedUsers[0]: "@alice" is not a Slack user id; list ids such as U0123ABCD (profile → ⋯ → Copy member ID), one per person: there is no wildcard'],
    ['channels:\n  alerts: "#s3-alerts"\n', 'channels.alerts: "#s3-alerts" is not a Slack channel id; write the id such as C0123ABCD (channel details → the id at the bottom), not the #name'],
    ['costs:\n  cacheHours: 0.01\n', 'costs.cacheHours: must be at least 1: each Cost Explorer request costs USD 0.01 and its data changes a few times a day'],
    ['alerts:\n  storageRefreshHours: 0.1\n', 'alerts.storageRefreshHours: must be at least 1: AWS updates storage metrics once a day'],
    ['alerts:\n  messagesPerSecond: 0.001\n', 'alerts.messagesPerSecond: must be at least 0.1 (one message every 10 s): slower, alerts queue up behind each other'],
    ['alerts:\n  thresholds:\n    error-rate: { ratio: 10 }\n', 'alerts.thresholds.error-rate.ratio: must be at most 1: a share such as 0.10 for 10 %, not a percentage'],
    ['alerts:\n  thresholds:\n    size-quota: { ratio: 0 }\n', 'alerts.thresholds.size-quota.ratio: must be more than 0: a share such as 0.10 for 10 %'],
    ['alerts:\n  thresholds:\n    cost-budget: { forecastRatio: 100 }\n', 'alerts.thresholds.cost-budget.forecastRatio: must be at most 10'],
    ['alerts:\n  thresholds:\n    latency: { averageMs: -5 }\n', 'alerts.thresholds.latency.averageMs: must be more than 0'],
    ['testUpload:\n  timeoutSeconds: 0\n', 'testUpload.timeoutSeconds: must be at least 1'],
    ['testUpload:\n  size: 0\n', 'testUpload.size: the test object needs at least 1 byte, e.g. 1KiB'],
    ['testUpload:\n  partSize: 6GiB\n', "testUpload.partSize: the part size must be at most 5GiB (S3's largest part)"],
    ['testUpload:\n  size: 60GB\n  partSize: 5MiB\n', "testUpload.size: the test object cannot be larger than 10,000 parts of testUpload.partSize (S3's limit); raise partSize or lower size"],
    ['uploads:\n  scanBudget: 0\n', 'uploads.scanBudget: must be more than 0'],
  ])('%s', async (rest, message) => {
    expect(await problemsOf(withBucket(rest))).toEqual([`s3-chatops.yml: ${message}`]);
  });

  it.each([
    ['    quota: 0\n', 'buckets[0].quota: the quota must be more than 0 bytes, e.g. 500GB; leave it out for none'],
    ['    quota: -5GB\n', 'buckets[0].quota: "-5GB" is not a size; write it like 500GB, 1.5TiB or 1024'],
    ['    region: Frankfurt\n', 'buckets[0].region: "Frankfurt" is not an AWS region code; write it like us-east-1 or eu-west-2'],
  ])('a bucket with %s', async (field, message) => {
    expect(await problemsOf(withBucket(field))).toEqual([`s3-chatops.yml: ${message}`]);
  });

  it('refuses a duplicate bucket name, a duplicate alias, and an alias that is another bucket’s name', async () => {
    const problems = await problemsOf(
      ['buckets:', '  - name: first-bucket', '    alias: docs', '  - name: first-bucket', '  - name: third-bucket', '    alias: docs', '  - name: docs', ''].join('\n'),
    );
    expect(problems).toEqual([
      's3-chatops.yml: buckets[1].name: "first-bucket" names two buckets (buckets[0] and buckets[1]); names and aliases must be unique',
      's3-chatops.yml: buckets[2].alias: "docs" names two buckets (buckets[0] and buckets[2]); names and aliases must be unique',
      's3-chatops.yml: buckets[3].name: "docs" names two buckets (buckets[0] and buckets[3]); names and aliases must be unique',
    ]);
  });

  it('reports duplicate names even beside a failure that stops zod’s own refinements (a non-integer)', async () => {
    const problems = await problemsOf(['buckets:', '  - name: first-bucket', '  - name: first-bucket', 'alerts:', '  bucketsPerJob: 1.5', ''].join('\n'));
    expect(problems).toEqual([
      's3-chatops.yml: alerts.bucketsPerJob: expected a whole number, got a number (1.5)',
      's3-chatops.yml: buckets[1].name: "first-bucket" names two buckets (buckets[0] and buckets[1]); names and aliases must be unique',
    ]);
  });

  it('lets a bucket’s alias repeat its own name, and takes the boundary values', async () => {
    const yaml = withBucket(
      [
        '    alias: my-bucket',
        '    region: us-gov-west-1',
        '    quota: 1',
        'cleanup: { olderThanDays: 1, allowedUsers: [U0ADMIN, W0GRID] }',
        'channels: { alerts: C0ALERTS, digest: G0PRIVATE, audit: D0DIRECT }',
        'alerts: { repeatHours: 0.5, messagesPerSecond: 0.1, storageRefreshHours: 1 }',
        'costs: { cacheHours: 1 }',
        '',
      ].join('\n'),
    );
    const config = await loadConfig({ env: ENV, purpose: 'cli', readFile: async () => yaml });
    expect(config.alerts.repeatHours).toBe(0.5);
    expect(config.cleanup.allowedUsers).toEqual(['U0ADMIN', 'W0GRID']);
  });
});
