import { ruleSetting, type BucketRule } from './rule.js';

export interface SizeQuotaSettings {
  ratio: number;
  quotaBytes: number;
}

/** `size-quota`: the newest daily BucketSizeBytes (all storage types) against the configured quota. */
export const sizeQuotaRule: BucketRule<SizeQuotaSettings> = {
  name: 'size-quota',
  scope: 'bucket',
  severity: 'warning',
  repeats: true,
  settings(config, bucket) {
    const setting = ruleSetting(config, bucket, 'size-quota');
    if (!setting || bucket.quota === undefined) return null;
    return { ratio: setting.ratio, quotaBytes: bucket.quota };
  },
  requestNeeds: () => [],
  evaluate({ settings: s, storageBytes }) {
    const latest = storageBytes.at(-1);
    const used = latest ? latest.value / s.quotaBytes : null;
    const breaching = used !== null && used > s.ratio;
    return {
      status: breaching ? 'firing' : 'ok',
      breachingSince: breaching ? latest!.timestamp : null,
      value: used,
      threshold: s.ratio,
      finding: { rule: 'size-quota', bytes: latest ? latest.value : null, quotaBytes: s.quotaBytes, threshold: s.ratio },
      recent: storageBytes.slice(-14).map((p) => p.value),
      hasData: latest !== undefined,
    };
  },
};
