import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const ENV = { AWS_REGION: 'us-east-1', CONFIG_FILE: 'fleet.yml' };

async function load(yaml: string) {
  return loadConfig({ env: ENV, purpose: 'cli', readFile: async () => yaml });
}

async function problemsOf(yaml: string): Promise<string[]> {
  try {
    await load(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('accounts in the configuration', () => {
  it('reads accounts with their role, external id and session name, and each bucket\'s account', async () => {
    const config = await load(`
accounts:
  - id: "222222222222"
    roleArn: arn:aws:iam::222222222222:role/s3-chatops-read
    externalId: s3-chatops-prod
buckets:
  - name: prod-docs
    account: "222222222222"
    region: eu-west-1
  - name: home-docs
`);
    expect(config.accounts).toEqual([{ id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/s3-chatops-read', externalId: 's3-chatops-prod', sessionName: 's3-chatops' }]);
    expect(config.buckets.map((b) => b.account)).toEqual(['222222222222', undefined]);
  });

  it('names every problem at once: unknown account, malformed id and ARN, a role in another account, a repeated account', async () => {
    const problems = await problemsOf(`
accounts:
  - id: "22222222222"
    roleArn: arn:aws:iam::222222222222:user/someone
  - id: "333333333333"
    roleArn: arn:aws:iam::444444444444:role/s3-chatops-read
  - id: "333333333333"
    roleArn: arn:aws:iam::333333333333:role/s3-chatops-read
buckets:
  - name: prod-docs
    account: "555555555555"
`);
    expect(problems).toContain('fleet.yml: accounts[0].id: an AWS account id is 12 digits, e.g. 222222222222');
    expect(problems).toContain('fleet.yml: accounts[0].roleArn: "arn:aws:iam::222222222222:user/someone" is not an IAM role ARN; write it like arn:aws:iam::222222222222:role/s3-chatops-read');
    expect(problems).toContain('fleet.yml: accounts[1].roleArn: the role arn:aws:iam::444444444444:role/s3-chatops-read is in account 444444444444, not 333333333333; name the role the bot assumes in 333333333333');
    expect(problems).toContain('fleet.yml: accounts[2].id: account 333333333333 is listed twice (accounts[1] and accounts[2])');
    expect(problems).toContain('fleet.yml: buckets[0].account: account 555555555555 is not listed under `accounts:`; add it with the role the bot assumes there (roleArn)');
  });

  it('with a payer account, wants it and the bot\'s own account listed', async () => {
    const problems = await problemsOf(`
costs:
  payerAccount: "111111111111"
buckets:
  - name: home-docs
`);
    expect(problems).toContain('fleet.yml: costs.payerAccount: account 111111111111 is not listed under `accounts:`; list the payer account (without roleArn if it is the bot\'s own)');
    expect(problems).toContain('fleet.yml: costs.payerAccount: with a payer account, list the bot\'s own account under `accounts:` (its id, without roleArn), so the costs of its buckets are counted');
  });
});
