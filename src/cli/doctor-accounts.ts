/**
 * `doctor`'s checks of the fleet's accounts and regions: each account's role assumed (or AWS's
 * error when it cannot be), the identity it gives, and where each bucket lives.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { RoleNotAssumedError } from '../aws/assumed-role.js';
import type { Fleet } from '../aws/fleet.js';
import { roleNotAssumed, toUserFacingError } from '../aws/errors.js';
import { withCallDeadline } from '../aws/deadlines.js';
import type { Config } from '../config/load.js';
import type { CheckResult } from './doctor.js';

/** One line per listed account: the role assumed and the account it lands in, or why not. */
export async function checkAccounts(config: Pick<Config, 'accounts'>, fleet: Pick<Fleet, 'clients'>): Promise<CheckResult[]> {
  return Promise.all(
    config.accounts.map(async (account): Promise<CheckResult> => {
      const name = `account ${account.id}`;
      const target = { service: 'STS', operation: 'GetCallerIdentity' } as const;
      try {
        const sts = fleet.clients.factory.get('sts', account.roleArn ? { account: account.id } : {});
        const who = await withCallDeadline(target, {}, (sdk) => sts.send(new GetCallerIdentityCommand({}), sdk), (error) =>
          error instanceof RoleNotAssumedError ? roleNotAssumed(error, target) : toUserFacingError(error, target),
        );
        if (who.Account !== account.id) {
          const whose = account.roleArn ? `the role ${account.roleArn}` : 'the bot\'s own credentials';
          return { name, status: 'fail', detail: `${whose} act in account ${who.Account ?? 'unknown'}, not ${account.id}; fix accounts[].id or the credentials` };
        }
        return { name, status: 'ok', detail: account.roleArn ? `role assumed: ${who.Arn ?? account.roleArn}` : `the bot's own credentials (${who.Arn ?? 'identity unknown'})` };
      } catch (error) {
        return { name, status: 'fail', detail: (error as { userMessage?: string }).userMessage ?? (error as Error).message };
      }
    }),
  );
}

/** One line per account and region with its buckets, each bucket's region found (configured, or GetBucketLocation). */
export async function checkRegions(config: Pick<Config, 'buckets'>, fleet: Pick<Fleet, 'places'>): Promise<CheckResult[]> {
  const groups = new Map<string, string[]>();
  const failures: CheckResult[] = [];
  for (const bucket of config.buckets) {
    try {
      const place = await fleet.places.placeOf(bucket.name);
      const key = `${place.account ? `account ${place.account}` : 'own account'}, ${place.region}`;
      groups.set(key, [...(groups.get(key) ?? []), bucket.alias ?? bucket.name]);
    } catch (error) {
      failures.push({ name: `bucket ${bucket.alias ?? bucket.name}: region`, status: 'fail', detail: (error as { userMessage?: string }).userMessage ?? (error as Error).message });
    }
  }
  const lines = [...groups.entries()].map(([where, buckets]): CheckResult => ({
    name: `region ${where}`,
    status: 'ok',
    detail: `${buckets.length} bucket${buckets.length === 1 ? '' : 's'}: ${buckets.join(', ')}`,
  }));
  return [...lines, ...failures];
}
