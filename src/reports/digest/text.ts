import { renderText, type TextOptions } from '../../render/text/index.js';
import type { DigestReport } from './types.js';

/** The digest for a terminal: the channel message, then each thread reply under a rule saying which it is. */
export function renderDigestText(report: DigestReport, options: TextOptions = {}): string {
  const parts = [renderText(report.main, options)];
  report.thread.forEach((message, i) => {
    parts.push(`--- thread reply ${i + 1} of ${report.thread.length} ---\n\n${renderText(message, options)}`);
  });
  return parts.join('\n');
}
