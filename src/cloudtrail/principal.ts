/** Who made a CloudTrail call, as a person reads it, from the event's `userIdentity`. */
import { readableRequester } from '../access-logs/requester.js';

/** The fields of `userIdentity` the bot reads; CloudTrail leaves any of them out by identity type. */
export interface TrailIdentity {
  type?: string;
  arn?: string;
  userName?: string;
  accountId?: string;
  principalId?: string;
  invokedBy?: string;
  sessionContext?: { sessionIssuer?: { type?: string; userName?: string; arn?: string } };
}

/** A principal: its readable form (`assumed-role Deploy/ci-1234`) and the names an allow-list may use. */
export interface Principal {
  label: string;
  /** The ARN where CloudTrail gives one. */
  arn: string | null;
  /** Every form an allow-list entry or `--who` may match: the label, the ARN, the user or role name. */
  names: string[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `IAMUser` → `user alice`; `AssumedRole` → `assumed-role Deploy/ci-1234`; `Root` → `root`;
 * `AWSService` → `AWS service s3.amazonaws.com`; `FederatedUser` → `federated-user dev/bob`;
 * `AWSAccount` → `AWS account 111122223333`; `IdentityCenterUser`, `WebIdentityUser`, `SAMLUser`
 * and `Unknown` by their name; anything unreadable → `unknown principal`.
 */
export function readablePrincipal(identity: unknown): Principal {
  const id = (identity && typeof identity === 'object' ? identity : {}) as TrailIdentity;
  const arn = text(id.arn) ?? null;
  const names: string[] = [];
  const label = labelOf(id, arn);
  names.push(label);
  if (arn) names.push(arn);
  const userName = text(id.userName) ?? text(id.sessionContext?.sessionIssuer?.userName);
  if (userName) names.push(userName);
  return { label, arn, names };
}

function labelOf(id: TrailIdentity, arn: string | null): string {
  switch (id.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return text(id.userName) ? `user ${id.userName}` : arn ? readableRequester(arn) : 'IAM user';
    case 'AssumedRole':
      return arn ? readableRequester(arn) : text(id.sessionContext?.sessionIssuer?.userName) ? `assumed-role ${id.sessionContext!.sessionIssuer!.userName}` : 'assumed role';
    case 'FederatedUser':
      return arn ? readableRequester(arn) : 'federated user';
    case 'AWSService':
      return `AWS service ${text(id.invokedBy) ?? 'unknown'}`;
    case 'AWSAccount':
      return `AWS account ${text(id.accountId) ?? text(id.principalId) ?? 'unknown'}`;
    case 'IdentityCenterUser':
    case 'WebIdentityUser':
    case 'SAMLUser':
      return `${id.type} ${text(id.userName) ?? text(id.principalId) ?? ''}`.trim();
    default:
      if (arn) return readableRequester(arn);
      return text(id.invokedBy) ? `AWS service ${id.invokedBy}` : 'unknown principal';
  }
}
