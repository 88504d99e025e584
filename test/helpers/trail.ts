// CloudTrail in the moto launcher (fix (j) of moto_launcher.py): who the S3 calls are recorded as, and injected events.
import { S3Client } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js';
import { silentLogger } from '../../src/lib/logger.js';
import { motoUrl, TEST_CREDENTIALS, TEST_REGION } from './services.js';

/** A role session deploys run as, in CloudTrail's `userIdentity` form. */
export const DEPLOY_ROLE = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:ci-1234',
  arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-1234',
  accountId: '123456789012',
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::123456789012:role/Deploy', accountId: '123456789012', userName: 'Deploy' } },
};

/** An S3 client whose bucket-configuration calls moto records in CloudTrail as made by `identity` from `sourceIp`. */
export function s3As(identity: object, sourceIp: string): S3Client {
  const client = new S3Client({ region: TEST_REGION, endpoint: motoUrl(), forcePathStyle: true, credentials: { ...TEST_CREDENTIALS } });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      request.headers['x-moto-trail-identity'] = JSON.stringify(identity);
      request.headers['x-moto-trail-source-ip'] = sourceIp;
      return next(args);
    },
    { step: 'build', name: 'trailIdentity' },
  );
  return client;
}

/** Records CloudTrail events in moto as given (any principal type), in `account`'s CloudTrail (moto's default account's when absent); the launcher fills what is left out. */
export async function injectTrailEvents(events: object[], account?: string): Promise<void> {
  const response = await fetch(`${motoUrl()}/moto-api/cloudtrail/events`, { method: 'POST', body: JSON.stringify({ events, ...(account ? { account_id: account } : {}) }) });
  if (!response.ok) throw new Error(`moto refused the CloudTrail events: ${response.status}`);
}

/** The access key whose LookupEvents the launcher refuses (a principal without `cloudtrail:LookupEvents`). */
export const DENIED_TRAIL_KEY = 'DENYTRAILTEST';

/** The product's clients, signed with a key CloudTrail refuses (S3 and the rest still answer). */
export function createTrailDeniedClients(): AwsClients {
  return createAwsClients({ region: TEST_REGION, endpoint: motoUrl(), logger: silentLogger(), credentials: { accessKeyId: DENIED_TRAIL_KEY, secretAccessKey: 'testing' } });
}
