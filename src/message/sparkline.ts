/** Eight levels, lowest first, as most terminals and Slack fonts draw them. */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Drawn where a point is missing, so gaps read as gaps rather than as zero. */
export const SPARKLINE_GAP = ' ';

/**
 * Draws values as a one-line bar chart (`▁▂▃▅▇`). `null`/`undefined`/NaN points are gaps;
 * a flat series sits on the lowest bar (or the middle when all values are equal and non-zero).
 */
export function sparkline(values: readonly (number | null | undefined)[]): string {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return SPARKLINE_GAP.repeat(values.length);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values
    .map((v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return SPARKLINE_GAP;
      if (max === min) return max === 0 ? BARS[0] : BARS[3];
      const level = Math.round(((v - min) / (max - min)) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}
