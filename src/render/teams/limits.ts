/**
 * Teams' limits, and the only code that enforces them. A Teams message (the whole webhook body)
 * may be at most 28 KB; the renderer keeps a margin under it for what Teams adds around a card.
 */
import type { CardAction, CardElement } from './card.js';

export const TEAMS_LIMITS = {
  /** Teams refuses messages over 28 KB. */
  messageBytes: 28 * 1024,
  /** What the renderer aims for: the webhook body, with room for Teams' own envelope. */
  bodyBudgetBytes: 26 * 1024,
  /** Longer texts are cut: no one paragraph should crowd the rest of a card out. */
  textChars: 4_000,
  /** Rows per Table element; a longer table is split so a part of it can be left out whole. */
  tableRows: 25,
  /** Teams shows at most six card actions. */
  actions: 6,
} as const;

/** A card element with what it carries, so elements left out can be described. */
export interface CountedElement {
  element: CardElement;
  rows?: number;
  items?: number;
}

/** Size in bytes of a value as JSON, as it goes over the wire. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Keeps as many leading elements as fit in `budget` bytes (the card around them already
 * counted in `baseBytes`) and folds the rest into one line that says what was left out.
 */
export function fitElements(
  elements: CountedElement[],
  baseBytes: number,
  budget: number,
  fold: (left: { rows: number; items: number; parts: number }) => CardElement,
): CardElement[] {
  const total = baseBytes + elements.reduce((n, e) => n + jsonBytes(e.element) + 1, 0);
  if (total <= budget) return elements.map((e) => e.element);
  // Room for the fold line itself, at its longest.
  const room = budget - baseBytes - jsonBytes(fold({ rows: 99_999, items: 99_999, parts: 99_999 })) - 1;
  const kept: CardElement[] = [];
  let used = 0;
  let at = 0;
  for (; at < elements.length; at += 1) {
    const size = jsonBytes(elements[at]!.element) + 1;
    if (used + size > room) break;
    kept.push(elements[at]!.element);
    used += size;
  }
  const dropped = elements.slice(at);
  const rows = dropped.reduce((n, e) => n + (e.rows ?? 0), 0);
  const items = dropped.reduce((n, e) => n + (e.items ?? 0), 0);
  return [...kept, fold({ rows, items, parts: dropped.length })];
}

/** At most Teams' number of actions, the first ones kept. */
export function fitActions(actions: CardAction[]): CardAction[] {
  return actions.slice(0, TEAMS_LIMITS.actions);
}

/** Shortens text to `max` characters, marking the cut with `…`. */
export function clipText(text: string, max: number = TEAMS_LIMITS.textChars): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
