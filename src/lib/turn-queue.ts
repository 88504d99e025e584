/**
 * Hands out turns of the event loop one caller at a time: each `next()` resolves on a turn of its
 * own, after the I/O that was waiting then. Work that many callers would otherwise start in one go
 * (the fifty answers of one shared computation) leaves room between its pieces for what else
 * came in, such as the acknowledgements of new requests.
 */
export class TurnQueue {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on the caller's own turn, in the order asked. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate queued from inside an immediate runs on the next turn, after that turn's I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
