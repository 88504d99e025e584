/**
 * Parses a card with the Adaptive Cards SDK (its bundled `dist/adaptivecards.js` loads in Node)
 * and returns every parse event: unknown element types, invalid values, anything it would drop.
 */
import { createRequire } from 'node:module';

interface SdkEvent {
  message: string;
}
interface Sdk {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): SdkEvent };
}

const sdk = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as Sdk;

/** The SDK's parse events for a card; an empty list means it parsed cleanly. */
export function parseEvents(card: unknown): string[] {
  const context = new sdk.SerializationContext();
  new sdk.AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
}
