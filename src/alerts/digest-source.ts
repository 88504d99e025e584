/** The digest's view of alerts over its day, read from alert state (the digest's `DigestAlertSource`). */
import type { DigestAlertSource, DigestAlertSummary, DigestSources, DigestTestUploadSource } from '../reports/digest/types.js';
import type { AlertReader } from './store.js';

/** Alerts of a bucket since a time: fired and resolved counts from the latest episode of each rule, and those firing now. */
export function alertDigestSource(reader: AlertReader): DigestAlertSource {
  return {
    async summary(bucket: string, since: Date): Promise<DigestAlertSummary> {
      const states = (await reader.list()).filter((s) => s.bucket === bucket);
      const after = (iso: string | null) => iso !== null && Date.parse(iso) >= since.getTime();
      return {
        // State keeps each rule's latest episode, so an alert that fired twice in a day counts once.
        fired: states.filter((s) => s.episode > 0 && (s.status === 'firing' || after(s.resolvedAt)) && after(s.since)).length,
        resolved: states.filter((s) => after(s.resolvedAt)).length,
        firing: states.filter((s) => s.status === 'firing').map((s) => ({ rule: s.rule, since: new Date(s.since ?? s.updatedAt) })),
      };
    },
  };
}

/** The digest's sources an entry point has: alert state (read through `alertDigestSource`) and the scheduled test uploads' results. */
export function digestSources(from: { alerts?: AlertReader | undefined; testUploads?: DigestTestUploadSource | undefined }): DigestSources {
  return { ...(from.alerts ? { alerts: alertDigestSource(from.alerts) } : {}), ...(from.testUploads ? { testUploads: from.testUploads } : {}) };
}
