import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { GatedReceiver, InFlight } from '../../../src/slack/gated-receiver.js';

/** A receiver that delivers what the test hands it, the way Bolt's receivers do: through app.processEvent. */
class ScriptedReceiver implements Receiver {
  app?: App;
  started: unknown[] = [];
  stopped = 0;
  init(app: App): void {
    this.app = app;
  }
  async start(...args: unknown[]): Promise<unknown> {
    this.started = args;
    return 'server';
  }
  async stop(): Promise<unknown> {
    this.stopped += 1;
    return undefined;
  }
  deliver(body: Record<string, unknown>): Promise<void> {
    return this.app!.processEvent({ body, ack: async () => undefined } as ReceiverEvent);
  }
}

describe('GatedReceiver', () => {
  it('passes every event the inner receiver delivers through the gate, which hands it on to the app', async () => {
    const inner = new ScriptedReceiver();
    const seen: string[] = [];
    const processed: unknown[] = [];
    const gated = new GatedReceiver(inner, async (event, next) => {
      seen.push(String(event.body.id));
      if (event.body.id !== 'dropped') await next(event);
    });
    gated.init({ processEvent: async (event: ReceiverEvent) => void processed.push(event.body.id) } as unknown as App);
    await inner.deliver({ id: 'a' });
    await inner.deliver({ id: 'dropped' });
    expect(seen).toEqual(['a', 'dropped']);
    expect(processed).toEqual(['a']);
  });

  it('starts and stops the inner receiver with the same arguments and result', async () => {
    const inner = new ScriptedReceiver();
    const gated = new GatedReceiver(inner, (event, next) => next(event));
    expect(await gated.start(3000)).toBe('server');
    expect(inner.started).toEqual([3000]);
    await gated.stop();
    expect(inner.stopped).toBe(1);
  });
});

describe('InFlight', () => {
  it('drains at once when idle, waits for running work, and says false when time runs out', async () => {
    const inFlight = new InFlight();
    expect(await inFlight.drain(10)).toBe(true);
    let finish!: () => void;
    const work = inFlight.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(10)).toBe(false);
    const drained = inFlight.drain(10_000);
    finish();
    await work;
    expect(await drained).toBe(true);
    expect(inFlight.size).toBe(0);
  });

  it('stops counting work that failed', async () => {
    const inFlight = new InFlight();
    await expect(inFlight.run(() => Promise.reject(new Error('listener failed')))).rejects.toThrow('listener failed');
    expect(inFlight.size).toBe(0);
    expect(await inFlight.drain(10)).toBe(true);
  });
});
