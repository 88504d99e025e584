import { formatBytes, formatPercent } from '../../message/format.js';
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
      text:
        latest === undefined
          ? `Size: no storage metrics yet (quota ${formatBytes(s.quotaBytes)})`
          : `Size **${formatBytes(latest.value)}** is ${formatPercent(used!)} of the ${formatBytes(s.quotaBytes)} quota (threshold ${formatPercent(s.ratio)})`,
      recent: storageBytes.slice(-14).map((p) => p.value),
      hasData: latest !== undefined,
    };
  },
};
