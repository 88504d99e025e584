import { describe, expect, it } from 'vitest';
import { readablePrincipal } from '../../../src/cloudtrail/principal.js';
import { readableClient } from '../../../src/cloudtrail/user-agent.js';

describe('readablePrincipal', () => {
  it.each([
    ['IAM user', { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' }, 'user alice'],
    [
      'assumed role',
      {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-1234',
        sessionContext: { sessionIssuer: { type: 'Role', userName: 'Deploy', arn: 'arn:aws:iam::123456789012:role/Deploy' } },
      },
      'assumed-role Deploy/ci-1234',
    ],
    ['root', { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }, 'root'],
    ['AWS service', { type: 'AWSService', invokedBy: 's3.amazonaws.com' }, 'AWS service s3.amazonaws.com'],
    ['federated user', { type: 'FederatedUser', arn: 'arn:aws:sts::123456789012:federated-user/bob' }, 'federated-user bob'],
    ['another account', { type: 'AWSAccount', accountId: '111122223333', principalId: 'AIDAEXAMPLE' }, 'AWS account 111122223333'],
    ['Identity Center user', { type: 'IdentityCenterUser', userName: 'carol' }, 'IdentityCenterUser carol'],
    ['nothing readable', 'not an object', 'unknown principal'],
  ])('%s', (_, identity, label) => {
    expect(readablePrincipal(identity).label).toBe(label);
  });

  it('an assumed role answers to its label, ARN and role name', () => {
    const p = readablePrincipal({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-1234',
      sessionContext: { sessionIssuer: { userName: 'Deploy' } },
    });
    expect(p.names).toEqual(['assumed-role Deploy/ci-1234', 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-1234', 'Deploy']);
  });
});

describe('readableClient', () => {
  it.each([
    ['console', 'signin.amazonaws.com', 'console'],
    ['S3 console', 'S3Console/0.4, aws-internal/3', 'console'],
    ['AWS CLI', 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 prompt/off command/s3api.put-bucket-policy', 'AWS CLI 2.15.0'],
    ['Python SDK', 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux lang/python#3.11', 'SDK (Python)'],
    ['JavaScript SDK', 'aws-sdk-js/3.600.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.11.0 api/s3#3.600.0', 'SDK (JavaScript)'],
    ['Java SDK', 'aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/21', 'SDK (Java)'],
    ['Go SDK', 'aws-sdk-go-v2/1.25.0 os/linux lang/go#1.22', 'SDK (Go)'],
    [
      'Terraform',
      'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0',
      'Terraform 1.5.7',
    ],
    ['CloudFormation', 'cloudformation.amazonaws.com', 'CloudFormation'],
    ['an AWS service', 'config.amazonaws.com', 'AWS service config.amazonaws.com'],
    ['nothing', '', 'unknown client'],
    ['anything else', 'curl/8.5.0', 'curl/8.5.0'],
  ])('%s', (_, agent, label) => {
    expect(readableClient(agent)).toBe(label);
  });
});
