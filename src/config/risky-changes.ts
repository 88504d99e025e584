/** A change that weakens a bucket's protection; the `config-change` alert rule names them. */
export const RISKY_CHANGES = [
  'public-access-block-off',
  'public-policy',
  'public-acl',
  'encryption-removed',
  'logging-off',
  'versioning-suspended',
  'bucket-deleted',
] as const;
export type RiskyChange = (typeof RISKY_CHANGES)[number];
