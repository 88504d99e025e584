const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  PIB: 2 ** 50,
};

/** Parses a size such as `500GB`, `1.5 TiB` or `1024` (bytes) into bytes; `null` when unreadable. */
export function parseSize(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!match) return null;
  const unit = (match[2] || 'B').toUpperCase();
  const factor = UNITS[unit];
  if (factor === undefined) return null;
  return Math.round(Number(match[1]) * factor);
}
